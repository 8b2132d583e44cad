import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { listApps, waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';
import { createToken, owlOk, startTcpDaemon, writeDaemonConfig } from '@owl/test-support/tcp';

/** A valid owl.config.json of 1,000 apps whose request is just over the 1 MiB frame limit. */
function writeLargeConfig(home: string): string {
  const apps = Array.from({ length: 1_000 }, (_, index) => ({ name: `app-${index}`, command: 'node', env: { PAYLOAD: 'x'.repeat(1_000) } }));
  const file = path.join(home, 'owl.config.json');
  writeFileSync(file, JSON.stringify({ apps }));
  return file;
}

describe('limits fail at once with a usable error, and nothing is lost', () => {
  it('refuses an apply larger than a frame at once (exit 2) on the management and the TCP plane', async () => {
    const home = tempHome();
    writeDaemonConfig(home, {});
    const plane = await startTcpDaemon(home, []);
    const { token } = await createToken(home, 'operator');
    await owlOk(['start', '--name', 'steady', '--', process.execPath, fixture('forever.mjs')], { home });
    const steady = await waitForApp(home, 'steady', (row) => row.status === 'running');
    const file = writeLargeConfig(home);

    const local = await runOwl(['apply', '-f', file], { home });
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/^owl: the "apps\.apply" request is 10\d{5} bytes, more than the 1048576 bytes the daemon accepts in one frame\n$/);
    const remote = await runOwl(['apply', '-f', file], { env: { OWL_URL: plane.url, OWL_TOKEN: token } });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toBe(local.stderr);

    expect((await listApps(home)).map((row) => [row.name, row.pid])).toEqual([['steady', steady.pid]]);
  });

  it('keeps one app whose stored record no longer validates aside, and every other app supervised', async () => {
    const home = tempHome();
    await owlOk(['daemon', 'start'], { home });
    for (const name of ['alpha', 'beta']) await owlOk(['start', '--name', name, '--', process.execPath, fixture('forever.mjs')], { home });
    const alpha = await waitForApp(home, 'alpha', (row) => row.status === 'running');
    const beta = await waitForApp(home, 'beta', (row) => row.status === 'running');
    // Once its record is aside, the home's cleanup no longer knows this pid.
    onTestFinished(() => {
      try {
        process.kill(beta.pid as number, 'SIGKILL');
      } catch {
        // Already gone.
      }
    });
    await owlOk(['daemon', 'stop'], { home });
    // What an older version stored for a size of "1" and 400 zeros, in both generations.
    for (const file of ['state.json', 'state.json.prev']) {
      const state = JSON.parse(readFileSync(path.join(home, file), 'utf8')) as { apps: Record<string, { spec: Record<string, unknown> }> };
      (state.apps.beta as { spec: Record<string, unknown> }).spec.maxMemory = null;
      writeFileSync(path.join(home, file), JSON.stringify(state));
    }
    await owlOk(['daemon', 'start'], { home });
    // beta's process still runs: no app wants it now, so it is listed as an orphan, never lost.
    expect((await listApps(home)).map((row) => [row.name, row.status, row.pid])).toEqual([
      ['alpha', 'running', alpha.pid],
      ['beta', 'orphan', beta.pid],
    ]);
    const aside = readdirSync(home).filter((name) => name.startsWith('state.json.rejected-'));
    expect(aside).toHaveLength(1);
    const log = readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8');
    expect(log).toContain(
      `warn ${path.join(home, 'state.json')}: app "beta" kept aside in ${path.join(home, aside[0] as string)}: spec.maxMemory: expected a size like "512MB", "1G" or bytes, received null; its processes (pid ${beta.pid}) are not supervised until it is applied again (owl ls shows them as orphans)`,
    );
    // A second restart still lists every app that loaded.
    await owlOk(['daemon', 'restart'], { home });
    expect((await listApps(home)).map((row) => [row.name, row.pid])).toEqual([
      ['alpha', alpha.pid],
      ['beta', beta.pid],
    ]);
  });

  it('warns in owl daemon status about a config.json with secrets that others can read', async () => {
    const home = tempHome();
    const config = path.join(home, 'config.json');
    writeFileSync(config, JSON.stringify({ webhooks: [{ url: 'http://127.0.0.1:9/hook', secret: '0123456789abcdef', events: ['created'] }] }));
    chmodSync(config, 0o644);
    await owlOk(['daemon', 'start'], { home });
    const status = await runOwl(['daemon', 'status'], { home });
    expect(status.code).toBe(0);
    expect(status.stderr).toBe(`owl: warning: ${config} holds secrets (webhooks[0].secret) and other users can read it (mode 0644): run chmod 600 ${config}\n`);
    chmodSync(config, 0o600);
    const fixed = await runOwl(['daemon', 'status', '--json'], { home });
    expect(JSON.parse(fixed.stdout)).toMatchObject({ warnings: [] });
    expect(fixed.stderr).toBe('');
  });
});
