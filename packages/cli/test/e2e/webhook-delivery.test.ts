import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OwlEvent } from '@owl/rpc';
import { waitFor } from '@owl/test-support/wait-for';
import { startReceiver, type ReceivedRequest } from '@owl/test-support/webhook-receiver';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture, waitForApp } from '@owl/test-support/apps';

const SECRET = 'e2e-secret-0123456789';

function writeConfig(home: string, webhooks: unknown[]): void {
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ webhooks }));
}

/** What a receiver does: recompute the HMAC over the raw body and compare. */
function signedEvent(request: ReceivedRequest): OwlEvent {
  expect(request.headers['x-owl-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`);
  return (JSON.parse(request.body) as { event: OwlEvent }).event;
}

/** Accepts connections and resets them at once: an endpoint that is down. */
async function startResetter(): Promise<{ port: number; resets: () => number; close: () => Promise<void> }> {
  let resets = 0;
  const server = net.createServer((socket) => {
    resets += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const close = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
  onTestFinished(() => (server.listening ? close() : undefined));
  return { port: (server.address() as net.AddressInfo).port, resets: () => resets, close };
}

describe('webhooks', () => {
  it('a hanging receiver does not slow a crash-restart; a healthy one gets the signed exit event', async () => {
    const hanging = await startReceiver(() => 'hang');
    const healthy = await startReceiver();
    const home = tempHome();
    writeConfig(home, [
      { url: hanging.url, secret: SECRET, events: ['*'], timeout: '60s' },
      { url: healthy.url, secret: SECRET, events: ['exit'] },
    ]);
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startFixture(home, 'victim', 'forever.mjs', [], ['--min-uptime', '100ms']);
    const before = await waitForApp(home, 'victim', (row) => row.status === 'running' && row.pid !== null);
    // The hanging endpoint is now stuck on its first event, with the rest queued behind it.
    await waitFor(() => hanging.requests.length === 1);
    process.kill(before.pid as number, 'SIGKILL');
    const after = await waitForApp(home, 'victim', (row) => row.status === 'running' && row.pid !== null && row.pid !== before.pid);
    expect(after.restarts).toBe(1);
    const exit = signedEvent(await waitFor(() => healthy.requests[0]));
    expect(exit).toMatchObject({ type: 'exit', app: 'victim', data: { pid: before.pid, signal: 'SIGKILL' } });
    expect(hanging.requests).toHaveLength(1);
  });

  it('delivers after retries once a receiver that was down comes up', async () => {
    const down = await startResetter();
    const home = tempHome();
    writeConfig(home, [{ url: `http://127.0.0.1:${down.port}/hook`, secret: SECRET, events: ['created'], maxAttempts: 100, backoff: { initial: '20ms', max: '200ms' } }]);
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startFixture(home, 'late', 'forever.mjs');
    await waitFor(() => down.resets() >= 2, { message: 'the daemon never tried the endpoint twice' });
    await down.close();
    const up = await startReceiver(() => 200, down.port);
    const event = signedEvent(await waitFor(() => up.requests[0]));
    expect(event).toMatchObject({ type: 'created', app: 'late' });
  });
});
