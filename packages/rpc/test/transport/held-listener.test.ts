import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RpcClient } from '../../src/index.ts';
import { listenHeld } from '../../src/transport/held-listener.ts';
import { RpcServer, listenLocalRpc, type Handlers } from '../../src/server/index.ts';

function tempHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'owl-held-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

const ping: Partial<Handlers> = { 'daemon.ping': () => ({ pong: true, pid: 7, version: 'held' }) };

describe('a listener that holds calls until its RPC server exists (owld ready before it has loaded)', () => {
  it('a call made before listenLocalRpc takes over waits, and is answered once it does', { timeout: 30_000 }, async () => {
    const home = tempHome();
    const held = await listenHeld({ path: path.join(home, 'owl.sock') });
    if (process.platform !== 'win32') expect(statSync(held.address).mode & 0o777).toBe(0o600);
    // Connecting (and then asking) while nothing serves calls yet: the connection is held.
    const connectionHeld = new Promise<void>((resolve) => held.server.once('connection', () => resolve()));
    const connecting = RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: 20_000, callTimeoutMs: 20_000 });
    const early = connecting.then((client) => {
      onTestFinished(() => client.close());
      return client.call('daemon.ping', {});
    });
    await connectionHeld;
    const listener = await listenLocalRpc({ target: held, rpc: new RpcServer(ping as Handlers), session: { role: 'admin', plane: 'local', subject: 'test' } });
    onTestFinished(() => listener.close());
    expect(listener.address).toBe(held.address);
    expect(await early).toEqual({ pong: true, pid: 7, version: 'held' });
    // And later calls go straight through.
    expect(await (await connecting).call('daemon.ping', {})).toEqual({ pong: true, pid: 7, version: 'held' });
  });

  it('a start that fails before the takeover drops what it held and stops listening', { timeout: 30_000 }, async () => {
    const home = tempHome();
    const held = await listenHeld({ path: path.join(home, 'owl.sock') });
    const connectionHeld = new Promise<void>((resolve) => held.server.once('connection', () => resolve()));
    const client = connect(held.address);
    client.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const answered: Buffer[] = [];
    client.on('data', (chunk: Buffer) => answered.push(chunk));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => undefined);
    // The connection reaches the server (held) before the failed start closes it.
    await connectionHeld;
    await held.close();
    await closed;
    expect(Buffer.concat(answered).toString()).toBe('');
    expect(held.server.listening).toBe(false);
  });
});
