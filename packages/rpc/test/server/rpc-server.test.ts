import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { OwlError, RpcClient } from '../../src/index.ts';
import { listenRpc } from '../../src/transport/listen.ts';
import { RpcServer, type Handlers, type Session } from '../../src/server/index.ts';

async function serve(handlers: Partial<Handlers>, session: Partial<Session> = {}, limits = {}): Promise<string> {
  const home = mkdtempSync(path.join(tmpdir(), 'owl-rpc-'));
  const listener = await listenRpc({
    target: { path: path.join(home, 'owl.sock') },
    rpc: new RpcServer(handlers as Handlers, limits),
    authenticate: () => ({ role: 'admin', plane: 'local', subject: 'test', ...session }),
  });
  onTestFinished(async () => {
    await listener.close();
    rmSync(home, { recursive: true, force: true });
  });
  return home;
}

async function connect(home: string): Promise<RpcClient> {
  const client = await RpcClient.connect({ kind: 'local', home }, { callTimeoutMs: 5_000 });
  onTestFinished(() => client.close());
  return client;
}

const ping: Partial<Handlers> = { 'daemon.ping': () => ({ pong: true, pid: 1, version: 'test' }) };

describe('RpcServer', () => {
  it('answers a call and validates params naming the field', async () => {
    const client = await connect(await serve({ ...ping, 'apps.describe': ({ name }) => ({ name, spec: {}, instances: [] }) }));
    expect(await client.call('daemon.ping', {})).toEqual({ pong: true, pid: 1, version: 'test' });
    const error = await client.call('apps.describe', { name: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OwlError);
    expect((error as OwlError).code).toBe('OWL_INVALID_PARAMS');
    expect((error as OwlError).message).toBe('invalid params for "apps.describe": name: expected at least 1 character, received ""');
  });

  it('refuses a method above the caller role with OWL_FORBIDDEN', async () => {
    const client = await connect(await serve({ ...ping, 'daemon.shutdown': () => ({ ok: true }) }, { role: 'viewer' }));
    expect((await client.call('daemon.ping', {})).pong).toBe(true);
    const error = (await client.call('daemon.shutdown', {}).catch((caught: unknown) => caught)) as OwlError;
    expect(error.code).toBe('OWL_FORBIDDEN');
    expect(error.message).toBe('method "daemon.shutdown" needs role admin, the caller has role viewer');
  });

  it('limits calls in flight per connection', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handlers: Partial<Handlers> = {
      'daemon.status': async () => {
        await gate;
        return { pid: 1, version: 't', home: '/', startedAt: '', uptimeMs: 0, planes: [], apps: { total: 0, running: 0 }, warnings: [] };
      },
    };
    const client = await connect(await serve(handlers, {}, { maxInFlight: 2 }));
    const first = client.call('daemon.status', {});
    const second = client.call('daemon.status', {});
    const third = (await client.call('daemon.status', {}).catch((caught: unknown) => caught)) as OwlError;
    expect(third.code).toBe('OWL_TOO_MANY_REQUESTS');
    expect(third.message).toBe('more than 2 calls in flight on this connection');
    release();
    await expect(first).resolves.toMatchObject({ pid: 1 });
    await expect(second).resolves.toMatchObject({ pid: 1 });
  });

  it('delivers subscription notifications until unsubscribed', async () => {
    let push: ((value: unknown) => void) | undefined;
    let closed = false;
    const handlers: Partial<Handlers> = {
      'events.follow': (_params, context) => {
        const subscription = context.openSubscription(() => (closed = true));
        push = (value) => subscription.push(value);
        return { subscription: subscription.id };
      },
    };
    const client = await connect(await serve(handlers));
    const received: unknown[] = [];
    let notify: () => void = () => undefined;
    const subscription = await client.subscribe('events.follow', {}, {
      onData: (data) => {
        received.push(data);
        notify();
      },
    });
    const two = new Promise<void>((resolve) => (notify = () => received.length === 2 && resolve()));
    push?.({ n: 1 });
    push?.({ n: 2 });
    await two;
    expect(received).toEqual([{ n: 1 }, { n: 2 }]);
    await subscription.close();
    expect(closed).toBe(true);
  });

  it('reports an unreachable daemon with OWL_DAEMON_UNREACHABLE', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'owl-rpc-'));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const error = (await RpcClient.connect({ kind: 'local', home }).catch((caught: unknown) => caught)) as OwlError;
    expect(error.code).toBe('OWL_DAEMON_UNREACHABLE');
    expect(error.message).toBe(
      `cannot reach the daemon of ${home} (${path.join(home, 'owl.sock')}): ENOENT (is it running? start it with "owl daemon start")`,
    );
  });

  it('delivers what a handler pushes before its result is sent (a backlog), in order', async () => {
    const handlers: Partial<Handlers> = {
      'events.follow': (_params, context) => {
        const subscription = context.openSubscription(() => undefined);
        for (let n = 1; n <= 3; n += 1) subscription.push({ n });
        return { subscription: subscription.id };
      },
    };
    const client = await connect(await serve(handlers));
    const received: unknown[] = [];
    let done: () => void = () => undefined;
    const three = new Promise<void>((resolve) => (done = resolve));
    await client.subscribe('events.follow', {}, {
      onData: (data) => {
        received.push(data);
        if (received.length === 3) done();
      },
    });
    await three;
    expect(received).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });
});

