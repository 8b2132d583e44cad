import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadDaemonConfig } from '../../src/config/load-daemon-config.ts';

function configFile(value: unknown): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-config-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  const file = path.join(directory, 'config.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('webhooks in config.json', () => {
  it('fills every default and parses durations', async () => {
    const file = configFile({ webhooks: [{ url: 'https://hooks.example.com/owl', secret: '0123456789abcdef', backoff: { initial: '50ms' } }] });
    const config = await loadDaemonConfig(file);
    expect(config.webhooks).toEqual([
      {
        url: 'https://hooks.example.com/owl',
        events: ['*'],
        secret: '0123456789abcdef',
        maxAttempts: 8,
        backoff: { initial: 50, max: 300_000 },
        timeout: 5_000,
        maxQueue: 1_000,
      },
    ]);
    expect(Object.isFrozen(config.webhooks[0])).toBe(true);
  });

  it('is empty without a webhooks section', async () => {
    expect((await loadDaemonConfig(configFile({}))).webhooks).toEqual([]);
  });

  it('names each bad field', async () => {
    const file = configFile({ webhooks: [{ url: 'ftp://hooks.example.com', secret: 'short', events: ['Exit'], retries: 3 }] });
    await expect(loadDaemonConfig(file)).rejects.toMatchObject({
      code: 'OWL_CONFIG_INVALID',
      message:
        `${file}: webhooks[0].url: expected an http:// or https:// URL, received "ftp://hooks.example.com"; ` +
        'webhooks[0].events[0]: expected an event type such as "exit" or "budget_spent", or "*" for all, received "Exit"; ' +
        'webhooks[0].secret: expected a secret of at least 16 characters, received "short"; webhooks[0].retries: unknown field',
    });
  });
});
