import { OwlError, RpcClient, type ConnectTarget, type MethodName } from '@owl/rpc';
import { ROLES, methods, roleSatisfies, type Role } from '@owl/rpc/contract';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../../../cli/test/helpers/owl.ts';
import { createToken, expectNoTokensIn, startTcpDaemon } from '../../../cli/test/helpers/tcp.ts';

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
});
