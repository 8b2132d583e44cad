import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { SignJWT, decodeJwt } from 'jose';
import { OwlError, RpcClient, type OwlEvent } from '@owl/rpc';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { owlJson, runOwl, tempHome } from '@owl/test-support/owl';
import { createToken, expectNoTokensIn, owlOk, startTcpDaemon, tcpPlaneOf, writeDaemonConfig } from '@owl/test-support/tcp';

async function refusal(url: string, token: string | undefined, headers?: Record<string, string>): Promise<OwlError> {
  try {
    const client = headers
      ? await openWithHeaders(url, headers)
      : await RpcClient.connect({ kind: 'remote', url, ...(token === undefined ? {} : { token }) });
    await client.close();
  } catch (error) {
    if (error instanceof OwlError) return error;
    throw error;
  }
  throw new Error('the daemon accepted the connection');
}

/** A raw upgrade with chosen headers, for Authorization values the client would never send. */
function openWithHeaders(url: string, headers: Record<string, string>): Promise<RpcClient> {
  return new Promise((_resolve, reject) => {
    const socket = new WebSocket(`${url}/rpc`, { headers });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        socket.terminate();
        const code = response.statusCode === 401 ? 'OWL_UNAUTHORIZED' : 'OWL_INTERNAL';
        reject(new OwlError(code, `HTTP ${response.statusCode}: ${(JSON.parse(body) as { error: string }).error}`));
      });
    });
    socket.on('open', () => {
      socket.terminate();
      reject(new Error('the daemon accepted the connection'));
    });
    socket.on('error', reject);
  });
}

/** This machine's first non-internal IPv4 address: a caller that is not loopback, without a second machine. */
function externalIPv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
}

function secretOf(home: string): Uint8Array {
  return new Uint8Array(Buffer.from(readFileSync(path.join(home, 'keys', 'jwt.key'), 'utf8').trim(), 'base64url'));
}

describe('TCP plane refuses bad tokens at the upgrade', () => {
  it('refuses missing, malformed, expired, tampered, foreign and revoked tokens with 401 and records each', async () => {
    const home = tempHome();
    const plane = await startTcpDaemon(home);
    const good = await createToken(home, 'viewer');
    const secret = secretOf(home);
    const past = Math.floor(Date.now() / 1000) - 3_600;
    const expired = await new SignJWT({ role: 'viewer' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('owld').setSubject('x').setJti(good.id).setIssuedAt(past - 60).setExpirationTime(past).sign(secret);
    const [header, , signature] = good.token.split('.') as [string, string, string];
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(good.token), role: 'admin' })).toString('base64url')}.${signature}`;
    const foreign = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('owld').setSubject('x').setJti(good.id).setIssuedAt().setExpirationTime('1h').sign(new Uint8Array(32).fill(1));

    const cases: Array<[string, () => Promise<OwlError>, string]> = [
      ['missing', () => refusal(plane.url, undefined), 'missing token: send "Authorization: Bearer <token>" (create one with owl token create)'],
      ['malformed', () => refusal(plane.url, 'abc.def'), 'malformed token: expected a JWT issued by owl token create'],
      ['malformed', () => refusal(plane.url, undefined, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }), 'malformed Authorization header: expected "Bearer <token>"'],
      ['expired', () => refusal(plane.url, expired), 'token expired; create a new one with owl token create'],
      ['bad_signature', () => refusal(plane.url, tampered), 'token signature does not verify: it was not issued by this daemon or was altered'],
      ['bad_signature', () => refusal(plane.url, foreign), 'token signature does not verify: it was not issued by this daemon or was altered'],
    ];
    for (const [, attempt, message] of cases) {
      const error = await attempt();
      expect(error.code).toBe('OWL_UNAUTHORIZED');
      expect(error.message).toMatch(/HTTP 401/);
      expect(error.message).toContain(message);
    }

    // The good token works until it is revoked; the revocation survives a restart.
    const client = await RpcClient.connect({ kind: 'remote', url: plane.url, token: good.token });
    expect((await client.call('daemon.ping', {})).pong).toBe(true);
    await client.close();
    await owlOk(['token', 'revoke', good.id], { home });
    expect((await refusal(plane.url, good.token)).message).toContain(`token "${good.id}" was revoked`);
    await owlOk(['daemon', 'restart', '--tcp', '127.0.0.1:0'], { home });
    const restarted = await tcpPlaneOf(home);
    expect((await refusal(`ws://${restarted.address}`, good.token)).message).toContain(`token "${good.id}" was revoked`);

    // Events from before the restart are gone with the old daemon; the restarted one logged its refusal.
    const events = await owlJson<OwlEvent[]>(['events', '-n', '1000'], home);
    const failures = events.filter((event) => event.type === 'auth_failed');
    expect(failures.map((event) => event.data)).toEqual([{ address: '127.0.0.1', reason: 'revoked', path: '/rpc', tokenId: good.id }]);
    const log = readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8');
    for (const reason of ['missing', 'malformed', 'expired', 'bad_signature', 'revoked']) expect(log).toContain(`auth failed from 127.0.0.1 on /rpc: ${reason}`);

    expectNoTokensIn([home], [good.token, expired, tampered, foreign]);
  });

  it('blocks an address after too many failures; on loopback a good token still gets in', async () => {
    const home = tempHome();
    writeDaemonConfig(home, { authFailures: { max: 3, window: '1m', block: '1m' } });
    const plane = await startTcpDaemon(home, []);
    const good = await createToken(home, 'viewer');
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await refusal(plane.url, `bad.${attempt}.token`)).code).toBe('OWL_UNAUTHORIZED');
    const blocked = await refusal(plane.url, 'bad.3.token');
    expect(blocked.code).toBe('OWL_TOO_MANY_REQUESTS');
    expect(blocked.message).toMatch(/refused the connection \(HTTP 429\): too many failed authentications from 127\.0\.0\.1; try again in \d+ s$/);
    // Every local process shares 127.0.0.1: one that keeps failing cannot lock the others out.
    const client = await RpcClient.connect({ kind: 'remote', url: plane.url, token: good.token });
    expect((await client.call('daemon.ping', {})).pong).toBe(true);
    await client.close();
    const metrics = await fetch(`http://${plane.address}/metrics`, { headers: { authorization: `Bearer ${good.token}` } });
    expect(metrics.status).toBe(200);

    const events = await owlJson<OwlEvent[]>(['events', '-n', '1000'], home);
    expect(events.filter((event) => event.type === 'auth_failed')).toHaveLength(4);
    expect(events.filter((event) => event.type === 'auth_blocked').map((event) => event.data)).toEqual([{ address: '127.0.0.1' }]);
    // The local plane is not affected.
    expect((await runOwl(['ping'], { home })).code).toBe(0);
    expectNoTokensIn([home], [good.token]);
  });

  const external = externalIPv4();
  it.skipIf(external === undefined)('refuses a blocked remote address before looking at its token, even a good one', async () => {
    const home = tempHome();
    writeDaemonConfig(home, { host: '0.0.0.0', authFailures: { max: 2, window: '1m', block: '1m' } });
    const plane = await startTcpDaemon(home, []);
    const url = `ws://${external}:${plane.address.split(':')[1]}`;
    const good = await createToken(home, 'viewer');
    for (let attempt = 0; attempt < 2; attempt += 1) expect((await refusal(url, `bad.${attempt}.token`)).code).toBe('OWL_UNAUTHORIZED');
    const blocked = await refusal(url, good.token);
    expect(blocked.code).toBe('OWL_TOO_MANY_REQUESTS');
    expect(blocked.message).toBe(`${url} refused the connection (HTTP 429): too many failed authentications from ${external}; try again in 60 s`);
    // Another address (loopback here) is not blocked by it.
    const client = await RpcClient.connect({ kind: 'remote', url: `ws://127.0.0.1:${plane.address.split(':')[1]}`, token: good.token });
    expect((await client.call('daemon.ping', {})).pong).toBe(true);
    await client.close();
  });
});
