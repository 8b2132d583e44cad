import { OwlError, RpcClient, type ConnectTarget, type MethodName } from '@owl/rpc';
import { NODE_METHODS, ROLES, methods, roleSatisfies, type Role } from '@owl/rpc/contract';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import path from 'node:path';
import { issueNodeToken } from '../../src/cluster/node-token.ts';
import { startRedisServer } from '@owl/test-support/redis-server';
import { owlOk } from '@owl/test-support/tcp';
import { describe, expect, it } from 'vitest';
import { tempHome } from '@owl/test-support/owl';
import { createToken, expectNoTokensIn, startTcpDaemon } from '@owl/test-support/tcp';

/** A param no method accepts: a permitted call fails validation, so nothing runs, and a refused one fails its role check first. */
const PROBE = { __roleProbe: true };

async function codeOf(client: RpcClient, method: MethodName): Promise<string> {
  try {
    await client.call(method, PROBE as never);
    return 'OK';
  } catch (error) {
    return error instanceof OwlError ? error.code : String(error);
  }
}

async function connect(target: ConnectTarget): Promise<RpcClient> {
  return RpcClient.connect(target, { callTimeoutMs: 10_000 });
}

describe('role matrix: every method x role x plane', () => {
  it('every method declares a role, and token management is admin-only', () => {
    for (const [name, definition] of Object.entries(methods)) {
      expect(ROLES, `${name} declares role ${definition.role}`).toContain(definition.role);
    }
    expect(Object.keys(methods).filter((name) => name.startsWith('tokens.'))).toEqual(['tokens.create', 'tokens.list', 'tokens.revoke']);
    for (const name of ['tokens.create', 'tokens.list', 'tokens.revoke', 'daemon.shutdown'] as const) expect(methods[name].role).toBe('admin');
  });

  it('enforces the declared role on the TCP plane and trusts the local plane as admin', async () => {
    const home = tempHome();
    const plane = await startTcpDaemon(home);
    const tokens: Record<Role, string> = {
      viewer: (await createToken(home, 'viewer')).token,
      operator: (await createToken(home, 'operator')).token,
      admin: (await createToken(home, 'admin')).token,
    };
    const callers: Array<{ plane: string; role: Role; client: RpcClient }> = [{ plane: 'local', role: 'admin', client: await connect({ kind: 'local', home }) }];
    for (const role of ROLES) callers.push({ plane: 'tcp', role, client: await connect({ kind: 'remote', url: plane.url, token: tokens[role] }) });

    const mismatches: string[] = [];
    let checked = 0;
    for (const [name, definition] of Object.entries(methods)) {
      for (const caller of callers) {
        const expected = roleSatisfies(caller.role, definition.role) ? 'OWL_INVALID_PARAMS' : 'OWL_FORBIDDEN';
        const actual = await codeOf(caller.client, name as MethodName);
        checked += 1;
        if (actual !== expected) mismatches.push(`${name} (needs ${definition.role}) as ${caller.role} on ${caller.plane}: expected ${expected}, got ${actual}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(Object.keys(methods).length * 4);

    // And permitted calls really run, with the session the token carries.
    const viewer = callers[1]?.client as RpcClient;
    expect((await viewer.call('daemon.status', {})).planes.map((p) => p.kind)).toEqual(['local', 'tcp']);
    await expect(viewer.call('apps.stop', { target: 'all' })).rejects.toThrow('method "apps.stop" needs role operator, the caller has role viewer');
    const operator = callers[2]?.client as RpcClient;
    expect(await operator.call('apps.stop', { target: 'all' })).toEqual({ names: [] });
    const admin = callers[3]?.client as RpcClient;
    const made = await admin.call('tokens.create', { role: 'viewer', ttl: '1h', name: 'made-remotely' });
    expect((await admin.call('tokens.list', {})).map((token) => token.name)).toContain('made-remotely');
    const forbidden = (await viewer.call('events.list', { limit: 1000 })).filter((event) => event.type === 'forbidden');
    expect(forbidden.at(-1)?.data).toEqual({ method: 'apps.stop', subject: expect.stringMatching(/^token:/), role: 'viewer', address: '127.0.0.1' });

    await Promise.all(callers.map((caller) => caller.client.close()));
    expectNoTokensIn([home], [...Object.values(tokens), made.token]);
  });

  it('a node token (cluster key, role node) reaches only the methods daemons need, and only from its own cluster', async () => {
    const redis = await startRedisServer();
    const home = tempHome();
    const plane = await startTcpDaemon(home);
    await owlOk(['cluster', 'init', '--redis', redis.url, '--name', 'matrix'], { home });
    const key = new Uint8Array(Buffer.from(readFileSync(path.join(home, 'keys', 'cluster.key'), 'utf8').trim(), 'base64url'));
    const client = await connect({ kind: 'remote', url: plane.url, token: await issueNodeToken(key, 'matrix', 'peer') });
    const mismatches: string[] = [];
    for (const name of Object.keys(methods) as MethodName[]) {
      const expected = NODE_METHODS.has(name) ? 'OWL_INVALID_PARAMS' : 'OWL_FORBIDDEN';
      const actual = await codeOf(client, name);
      if (actual !== expected) mismatches.push(`${name} as node: expected ${expected}, got ${actual}`);
    }
    expect(mismatches).toEqual([]);
    // Reads only: nothing that changes apps, the daemon, tokens or the fleet.
    for (const name of NODE_METHODS) expect(methods[name].role, name).toBe('viewer');
    // Exactly what peers call: `owl fleet logs` reads logs.read on each target; nothing reaches fleet.* commands or other peers through a node.
    expect([...NODE_METHODS].sort()).toEqual(['apps.list', 'cluster.nodes', 'cluster.status', 'daemon.ping', 'daemon.status', 'fleet.ls', 'fleet.metrics', 'logs.read', 'metrics.get']);
    expect(await client.call('logs.read', { lines: 1 })).toEqual([]);
    await expect(client.call('fleet.logs', { app: 'x', all: true })).rejects.toThrow('method "fleet.logs" needs role viewer, the caller has role node');
    expect((await client.call('cluster.status', {})).name).toBe('matrix');
    await expect(client.call('fleet.run', { action: 'stop', app: 'x', all: true })).rejects.toThrow('method "fleet.run" needs role operator, the caller has role node');
    await client.close();

    // Another key, another cluster name, or a long life: refused at the upgrade (401).
    const wrongKey = await issueNodeToken(new Uint8Array(32).fill(1), 'matrix', 'peer');
    const otherCluster = await issueNodeToken(key, 'other', 'peer');
    const now = Math.floor(Date.now() / 1000);
    const longLived = await new SignJWT({ role: 'node' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('owl-cluster:matrix').setSubject('node:peer').setIssuedAt(now).setExpirationTime(now + 3_600).sign(key);
    for (const token of [wrongKey, otherCluster, longLived]) {
      await expect(connect({ kind: 'remote', url: plane.url, token })).rejects.toMatchObject({ code: 'OWL_UNAUTHORIZED' });
    }
    const events = JSON.parse((await owlOk(['events', '-n', '1000', '--json'], { home })).stdout) as Array<{ type: string; data: { reason?: string } }>;
    expect(events.filter((event) => event.type === 'auth_failed').map((event) => event.data.reason)).toEqual(['bad_signature', 'invalid_claims', 'invalid_claims']);
  }, 60_000);
});
