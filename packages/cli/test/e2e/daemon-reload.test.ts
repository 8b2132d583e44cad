import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OwlEvent } from '@owl/rpc';
import { waitFor } from '@owl/test-support/wait-for';
import { startReceiver } from '@owl/test-support/webhook-receiver';
import { readPid, runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture } from '@owl/test-support/apps';
import { freePort } from '@owl/test-support/free-port';

function writeConfig(home: string, config: unknown): string {
  const file = path.join(home, 'config.json');
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

async function healthz(port: number): Promise<number | string> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    (response) => response.status,
    (error: unknown) => String((error as Error).cause ?? error),
  );
}

/** A port held by a plain listener, so a TCP plane cannot take it. */
async function occupiedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe('owl daemon reload (and SIGHUP)', () => {
  it('applies new webhooks and a TCP plane from config.json, refuses a bad file and an unusable port without changing anything', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const receiver = await startReceiver();
    const port = await freePort();
    writeConfig(home, { planes: { tcp: { port } }, webhooks: [{ url: receiver.url, events: ['state'], secret: 'reload-test-secret-0123' }] });

    const reloaded = await runOwl(['daemon', 'reload'], { home });
    expect(reloaded.stderr).toBe('');
    expect(reloaded.stdout).toBe(`config reloaded: tcp plane, webhooks\nplane    local ${path.join(home, 'owl.sock')}\nplane    tcp   ws://127.0.0.1:${port}\n`);
    expect(await healthz(port)).toBe(200);
    await startFixture(home, 'steady', 'forever.mjs');
    await waitFor(() => receiver.requests.some((request) => (JSON.parse(request.body) as { event: OwlEvent }).event.app === 'steady'));
    expect((await runOwl(['daemon', 'reload'], { home })).stdout).toMatch(/^config reloaded: nothing changed\n/);

    const file = writeConfig(home, '{"planes": ');
    const broken = await runOwl(['daemon', 'reload'], { home });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe(`owl: ${file}:1:12: invalid JSON: expected a value, found the end of the file\n`);
    expect(await healthz(port)).toBe(200);

    const taken = await occupiedPort();
    writeConfig(home, { planes: { tcp: { port: taken } }, webhooks: [] });
    const refused = await runOwl(['daemon', 'reload'], { home });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the new TCP plane cannot start \(.*EADDRINUSE.*\); the previous TCP plane runs again; nothing was changed\n$/);
    expect(await healthz(port)).toBe(200);
    // The webhook stayed too: the next event still arrives.
    const before = receiver.requests.length;
    expect((await runOwl(['stop', 'steady'], { home })).code).toBe(0);
    await waitFor(() => receiver.requests.length > before);

    const events = (await runOwl(['events', '--json', '-n', '500'], { home })).stdout;
    const reloads = (JSON.parse(events) as OwlEvent[]).filter((event) => event.type === 'config_reloaded');
    expect(reloads.map((event) => event.data)).toEqual([
      { via: 'rpc', changed: ['tcp plane', 'webhooks'] },
      { via: 'rpc', changed: [] },
    ]);
  });

  it.runIf(process.platform !== 'win32')('reloads on SIGHUP, and a viewer token may not reload', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const port = await freePort();
    writeConfig(home, { planes: { tcp: { port } } });
    process.kill(readPid(path.join(home, 'daemon.pid')), 'SIGHUP');
    await waitFor(async () => (await healthz(port)) === 200, { message: 'SIGHUP did not bring the TCP plane up' });
    expect(readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8')).toContain('config reloaded (signal): tcp plane');

    const token = JSON.parse((await runOwl(['token', 'create', '--role', 'viewer', '--json'], { home })).stdout) as { token: string };
    const remote = await runOwl(['daemon', 'reload'], { home, env: { OWL_URL: `ws://127.0.0.1:${port}`, OWL_TOKEN: token.token } });
    expect(remote).toMatchObject({ code: 4, stdout: '' });
    expect(remote.stderr).toMatch(/^owl: .*daemon\.reload.*admin/);
  });
});
