import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isSchemaBuilt, methods, type MethodName } from '../../src/contract/index.ts';
import { RpcClient } from '../../src/index.ts';
import { listenRpc } from '../../src/transport/listen.ts';
import { RpcServer, type Handlers } from '../../src/server/index.ts';

const names = Object.keys(methods) as MethodName[];
const built = (which: 'params' | 'result') => names.filter((name) => isSchemaBuilt(methods[name], which));

describe('the contract builds each method schema on first use', () => {
  it('builds no params or result schema when it loads', () => {
    expect(names.length).toBeGreaterThan(30);
    expect(built('params')).toEqual([]);
    expect(built('result')).toEqual([]);
  });

  it('builds one schema on its first read and returns the same object after', () => {
    const first = methods['apps.describe'].params;
    expect(built('params')).toEqual(['apps.describe']);
    expect(built('result')).toEqual([]);
    expect(methods['apps.describe'].params).toBe(first);
    expect(first.safeParse({ name: '' }).success).toBe(false);
    expect(first.parse({ name: 'web' })).toEqual({ name: 'web' });
  });

  it('a server answering a call builds that method\'s params schema only, never a result schema', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'owl-lazy-'));
    const handlers: Partial<Handlers> = { 'daemon.ping': () => ({ pong: true, pid: 1, version: 'test' }) };
    const listener = await listenRpc({
      target: { path: path.join(home, 'owl.sock') },
      rpc: new RpcServer(handlers as Handlers),
      authenticate: () => ({ role: 'admin', plane: 'local', subject: 'test' }),
    });
    onTestFinished(async () => {
      await listener.close();
      rmSync(home, { recursive: true, force: true });
    });
    const client = await RpcClient.connect({ kind: 'local', home }, { callTimeoutMs: 5_000 });
    onTestFinished(() => client.close());
    const before = built('params');
    expect(before).not.toContain('daemon.ping');
    expect(await client.call('daemon.ping', {})).toEqual({ pong: true, pid: 1, version: 'test' });
    expect(built('params')).toEqual(names.filter((name) => name === 'daemon.ping' || before.includes(name)));
    expect(built('result')).toEqual([]);
  });

  it('builds every schema when each is read (what a client or test may do)', () => {
    for (const name of names) {
      expect(methods[name].params.safeParse, name).toBeTypeOf('function');
      expect(methods[name].result.safeParse, name).toBeTypeOf('function');
    }
    expect(built('params')).toEqual(names);
    expect(built('result')).toEqual(names);
  });
});
