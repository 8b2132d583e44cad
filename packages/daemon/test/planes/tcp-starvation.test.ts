import { readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { RpcClient } from '@owl/rpc';
import WebSocket from 'ws';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readPid, tempHome } from '@owl/test-support/owl';
import { createToken, startTcpDaemon, writeDaemonConfig } from '@owl/test-support/tcp';
import { waitFor } from '@owl/test-support/wait-for';

// Linux routes all of 127.0.0.0/8 to loopback: a second source address without a second machine.
const HOSTILE_ADDRESS = '127.0.0.2';
const PER_ADDRESS = 16;

/** Hostile sockets from one address; each resolves `connected` once the handshake is done. */
function openHostile(port: number, count: number, send?: string): { sockets: net.Socket[]; connected: Promise<void> } {
  const sockets: net.Socket[] = [];
  const waits: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: HOSTILE_ADDRESS });
    socket.on('error', () => undefined);
    waits.push(
      new Promise((resolve) => {
        socket.once('connect', () => {
          if (send !== undefined) socket.write(send);
          resolve();
        });
        socket.once('close', () => resolve());
      }),
    );
    sockets.push(socket);
  }
  onTestFinished(() => sockets.forEach((socket) => socket.destroy()));
  return { sockets, connected: Promise.all(waits).then(() => undefined) };
}

function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

async function healthz(address: string): Promise<number> {
  return (await fetch(`http://${address}/healthz`)).status;
}

describe.skipIf(process.platform !== 'linux')('TCP plane under a hostile address', () => {
  it('keeps serving calls, new connections and /healthz to others while one address holds and churns sockets', async () => {
    const home = tempHome();
    // The longest deadline: within the test, the flood is cut by the budget, never by time.
    writeDaemonConfig(home, { upgradeTimeout: '60s', maxUnauthenticatedPerAddress: PER_ADDRESS, maxUnauthenticated: 256 });
    const plane = await startTcpDaemon(home, []);
    const port = Number(plane.address.split(':')[1]);
    const { token } = await createToken(home, 'operator');
    const established = await RpcClient.connect({ kind: 'remote', url: plane.url, token });
    onTestFinished(() => established.close());
    const daemonPid = readPid(path.join(home, 'daemon.pid'));
    const baseline = openDescriptors(daemonPid);

    // 2,000 silent sockets and 500 upgrades stalled halfway through their headers.
    const silent = openHostile(port, 2_000);
    const stalled = openHostile(port, 500, `GET /rpc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nAuthorization: Bearer ${token}\r\n`);
    await Promise.all([silent.connected, stalled.connected]);
    // Holding sockets gains the address nothing: the daemon keeps only its newest few. (Counted
    // on the daemon: a client's socket can look open while the kernel dropped it from a full accept queue.)
    await waitFor(() => openDescriptors(daemonPid) <= baseline + PER_ADDRESS + 4, { timeoutMs: 20_000 });

    // A client that keeps reopening sockets from the same address while others are served.
    let churning = true;
    const churn = (async () => {
      while (churning) await openHostile(port, 50).connected;
    })();
    try {
      expect((await established.call('daemon.ping', {})).pong).toBe(true);
      for (let round = 0; round < 10; round += 1) {
        expect(await healthz(plane.address)).toBe(200);
        const fresh = await RpcClient.connect({ kind: 'remote', url: plane.url, token });
        expect((await fresh.call('apps.list', {})).length).toBe(0);
        await fresh.close();
        expect((await established.call('daemon.ping', {})).pong).toBe(true);
      }
    } finally {
      churning = false;
      await churn;
    }
  });

  it('caps authenticated connections per address, apart from the total', async () => {
    const home = tempHome();
    writeDaemonConfig(home, { maxConnectionsPerAddress: 2, maxConnections: 3 });
    const plane = await startTcpDaemon(home, []);
    const { token } = await createToken(home, 'viewer');
    const clients = [await RpcClient.connect({ kind: 'remote', url: plane.url, token }), await RpcClient.connect({ kind: 'remote', url: plane.url, token })];
    onTestFinished(() => Promise.all(clients.map((client) => client.close())).then(() => undefined));
    const third = await RpcClient.connect({ kind: 'remote', url: plane.url, token }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(third).toMatchObject({ code: 'OWL_DAEMON_UNREACHABLE', message: `${plane.url} refused the connection (HTTP 503): more than 2 connections from 127.0.0.1` });
    // Another address still has room under the total.
    const other = new WebSocket(`${plane.url}/rpc`, { localAddress: HOSTILE_ADDRESS, headers: { authorization: `Bearer ${token}` } });
    onTestFinished(() => other.terminate());
    const outcome = await new Promise<string>((resolve) => {
      other.once('open', () => resolve('open'));
      other.once('unexpected-response', (_request, response) => resolve(`HTTP ${response.statusCode}`));
      other.once('error', (error) => resolve(error.message));
    });
    expect(outcome).toBe('open');
  });
});
