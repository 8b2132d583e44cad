import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OwlError, RpcClient } from '@owl/rpc';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { startFixture, waitForApp } from '@owl/test-support/apps';
import { isAlive, readPid, runOwl, tempHome } from '@owl/test-support/owl';

/** The local client: the light WebSocket client the CLI uses for the daemon of its own machine. */
function connect(home: string): Promise<RpcClient> {
  return RpcClient.connect({ kind: 'local', home }, { callTimeoutMs: 60_000, answerTimeoutMs: 30_000 });
}

describe('the local client against a real daemon', () => {
  it('reads large responses (64-bit frame lengths, many reads) byte for byte', { timeout: 90_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const client = await connect(home);
    try {
      // An app spec of ~800 KB (the daemon reads requests up to 1 MiB) comes back whole from describe.
      const env = Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`BIG_${index}`, `${index}:${'é'.repeat(25_000)}`]));
      await client.call('apps.create', { spec: { name: 'big', command: process.execPath, args: ['-e', '0'], env }, start: false });
      const detail = await client.call('apps.describe', { name: 'big' });
      expect(Buffer.byteLength(JSON.stringify(detail))).toBeGreaterThan(800_000);
      expect(detail.spec.env).toEqual(env);

      // The log ring (256 KiB a stream) read back line for line as the file has it.
      const marker = path.join(home, 'flood.jsonl');
      await startFixture(home, 'flood', 'flood-lines.mjs', ['20000'], ['--env', `OWL_FIXTURE_MARKER=${marker}`]);
      await waitForMarker(marker, 'done');
      const lines = await waitFor(async () => {
        const read = await client.call('logs.read', { name: 'flood', stream: 'out', lines: 10_000 });
        return read.at(-1)?.line.startsWith('0022000 ') ? read : undefined;
      }, { timeoutMs: 60_000, message: 'the daemon never read the last line' });
      expect(Buffer.byteLength(JSON.stringify(lines))).toBeGreaterThan(128 * 1024);
      const file = readFileSync(path.join(home, 'logs', 'flood', 'out.log'), 'utf8').split('\n').filter((line) => line.length > 0);
      expect(lines.map((line) => line.line)).toEqual(file.slice(-lines.length));
    } finally {
      await client.close();
    }
  });

  it('gets the daemon\'s errors with their codes and messages, and the connection lives on', { timeout: 60_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const client = await connect(home);
    try {
      const missing = (await client.call('apps.describe', { name: 'nope' }).catch((error: unknown) => error)) as OwlError;
      expect(missing).toBeInstanceOf(OwlError);
      expect(missing.code).toBe('OWL_NOT_FOUND');
      expect(missing.message).toBe('app "nope" not found');
      const invalid = (await client.call('apps.describe', { name: '' }).catch((error: unknown) => error)) as OwlError;
      expect(invalid.code).toBe('OWL_INVALID_PARAMS');
      expect(invalid.message).toBe('invalid params for "apps.describe": name: expected at least 1 character, received ""');
      expect(await client.call('daemon.ping', {})).toMatchObject({ pong: true, pid: readPid(path.join(home, 'daemon.pid')) });
    } finally {
      await client.close();
    }
  });

  it('fails a call in flight and ends a subscription when the daemon is killed mid-call', { timeout: 90_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const daemonPid = readPid(path.join(home, 'daemon.pid'));
    const marker = path.join(home, 'stubborn.jsonl');
    // Ignores SIGTERM and may take 10 minutes to stop: `apps.stop` stays in flight.
    await startFixture(home, 'stubborn', 'ignores-sigterm.mjs', [], ['--stop-timeout', '10m', '--env', `OWL_FIXTURE_MARKER=${marker}`]);
    await waitForMarker(marker, 'ready');
    const client = await connect(home);
    const ended = new Promise<Error | undefined>((resolve) => {
      void client.subscribe('events.follow', {}, { onData: () => undefined, onEnd: resolve });
    });
    const stopping = client.call('apps.stop', { target: 'stubborn' }).catch((error: unknown) => error);
    await waitForApp(home, 'stubborn', (row) => row.status === 'stopping');
    await waitForMarker(marker, 'signal');
    process.kill(daemonPid, 'SIGKILL');
    const error = (await stopping) as OwlError;
    expect(error).toBeInstanceOf(OwlError);
    expect(error.code).toBe('OWL_CONNECTION_CLOSED');
    expect(error.message).toMatch(/^connection to the daemon closed before call \d+ was answered/);
    const end = (await ended) as OwlError;
    expect(end.code).toBe('OWL_CONNECTION_CLOSED');
    await client.closedPromise();
    await waitFor(() => !isAlive(daemonPid));
  });
});
