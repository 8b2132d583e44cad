import http from 'node:http';
import net from 'node:net';
import { OwlError, RpcClient } from '@owl/rpc';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { tempHome } from '@owl/test-support/owl';
import { createToken, expectNoTokensIn, startTcpDaemon, writeDaemonConfig } from '@owl/test-support/tcp';
import { waitFor } from '@owl/test-support/wait-for';

/** Connects, optionally writes `data`, and resolves with whatever the server said once it closes the socket. */
function untilServerCloses(address: string, data?: string): Promise<string> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), host, () => {
      if (data !== undefined) socket.write(data);
    });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

async function rejection(promise: Promise<unknown>): Promise<OwlError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OwlError);
  return error as OwlError;
}

describe('TCP plane limits', () => {
  it('cuts slow and silent upgrades, caps connections, frames and subscriptions', async () => {
    const home = tempHome();
    writeDaemonConfig(home, { upgradeTimeout: '300ms', maxConnections: 2, maxFrameBytes: 1024, maxSubscriptions: 2, metrics: 'open-on-loopback' });
    const plane = await startTcpDaemon(home, []);
    const { token } = await createToken(home, 'viewer');

    const first = await RpcClient.connect({ kind: 'remote', url: plane.url, token });
    // A client that stops halfway through its headers, and one that never says anything, are both cut.
    const partial = await untilServerCloses(plane.address, 'GET /rpc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n');
    // Node closes it silently or with a 408, depending on which of its timers fires first.
    expect(partial).toMatch(/^(HTTP\/1\.1 408 Request Timeout[^]*)?$/);
    await untilServerCloses(plane.address);
    // ...while an upgraded connection, older than both, is not subject to the upgrade timeout.
    expect((await first.call('daemon.ping', {})).pong).toBe(true);
    // The client learnt this plane's frame limit at the upgrade and refuses a larger call itself.
    const oversized = await rejection(first.call('apps.describe', { name: 'x'.repeat(2_000) }));
    expect(oversized.code).toBe('OWL_FRAME_TOO_LARGE');
    expect(oversized.message).toBe('the "apps.describe" request is 2070 bytes, more than the 1024 bytes the daemon accepts in one frame');
    expect((await first.call('daemon.ping', {})).pong).toBe(true);

    const second = await RpcClient.connect({ kind: 'remote', url: plane.url, token });
    const third = await rejection(RpcClient.connect({ kind: 'remote', url: plane.url, token }));
    expect(third.message).toBe(`${plane.url} refused the connection (HTTP 503): more than 2 connections`);
    await second.close();
    const replacement = await waitFor(() => RpcClient.connect({ kind: 'remote', url: plane.url, token }).catch(() => undefined));

    const subscription = { onData: () => undefined };
    await first.subscribe('events.follow', {}, subscription);
    await first.subscribe('events.follow', {}, subscription);
    const tooMany = await rejection(first.subscribe('events.follow', {}, subscription));
    expect(tooMany.code).toBe('OWL_LIMIT_EXCEEDED');
    expect(tooMany.message).toBe('more than 2 subscriptions open on this connection');

    await first.close();
    await replacement.close();
    const raw = await waitFor(() =>
      new Promise<WebSocket | undefined>((resolve) => {
        const socket = new WebSocket(`${plane.url}/rpc`, { headers: { authorization: `Bearer ${token}` } });
        socket.once('open', () => resolve(socket));
        socket.once('error', () => resolve(undefined));
        socket.once('unexpected-response', () => resolve(undefined));
      }),
    );
    const answers: Array<{ id: unknown; error?: { data: { code: string } }; result?: unknown }> = [];
    raw.on('message', (data) => answers.push(JSON.parse(data.toString())));
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'daemon.ping', params: { pad: 'x'.repeat(2_000) } }));
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'daemon.ping', params: {} }));
    await waitFor(() => answers.length === 2);
    expect(answers[0]).toMatchObject({ id: 1, error: { data: { code: 'OWL_FRAME_TOO_LARGE', size: 2_067, limit: 1024 } } });
    expect(answers[1]).toMatchObject({ id: 2, result: { pong: true } });
    raw.close();

    // metrics: "open-on-loopback" lets a local scraper in without a token.
    const metrics = await fetch(`http://${plane.address}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('owld_uptime_seconds');
    expectNoTokensIn([home], [token]);
  });

  it('answers plain HTTP with Connection: close, so a keep-alive scraper is never cut mid-request by the upgrade deadline', async () => {
    const home = tempHome();
    writeDaemonConfig(home, { upgradeTimeout: '300ms', metrics: 'open-on-loopback' });
    const plane = await startTcpDaemon(home, []);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (pathname: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        http
          .get(`http://${plane.address}${pathname}`, { agent }, (response) => {
            response.resume();
            response.once('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }));
          })
          .once('error', reject);
      });
    try {
      // Back-to-back requests for several deadlines: a reused socket would be cut while in use.
      const until = Date.now() + 5 * 300;
      let requests = 0;
      while (Date.now() < until || requests < 20) {
        for (const pathname of ['/healthz', '/metrics']) {
          expect(await get(pathname)).toEqual({ status: 200, connection: 'close' });
          requests += 1;
        }
      }
    } finally {
      agent.destroy();
    }
  });

  it('cuts a TLS client that never completes its handshake', async () => {
    const home = tempHome();
    writeDaemonConfig(home, { tls: true, upgradeTimeout: '300ms' });
    const plane = await startTcpDaemon(home, []);
    expect(plane.tls).toBe(true);
    expect(await untilServerCloses(plane.address)).toBe('');
    expect(await untilServerCloses(plane.address, '\x16\x03\x01')).toBe('');
    // An upgraded TLS connection has left the unauthenticated budget: a silent socket opened
    // after it is cut by the deadline, while it is still served.
    const { token } = await createToken(home, 'viewer');
    const client = await RpcClient.connect({ kind: 'remote', url: plane.url, token, fingerprint: plane.fingerprint });
    await untilServerCloses(plane.address);
    expect((await client.call('daemon.ping', {})).pong).toBe(true);
    await client.close();
  });
});
