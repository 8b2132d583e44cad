import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { owlJson, runOwl, tempHome } from '@owl/test-support/owl';

function openPlane(socketPath: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket('ws://localhost/rpc', { createConnection: () => net.connect(socketPath) });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Deterministic pseudo-random source so a failure can be replayed. */
function makeRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function malformedFrame(random: () => number, index: number): string | Buffer {
  const kinds = [
    () => randomBytes(1 + Math.floor(random() * 200)),
    () => '{"jsonrpc":"2.0","id":1,"method":',
    () => JSON.stringify([{ jsonrpc: '2.0', id: index, method: 'daemon.ping' }]),
    () => JSON.stringify({ jsonrpc: '1.0', id: index, method: 'daemon.ping' }),
    () => JSON.stringify({ jsonrpc: '2.0', id: { nested: true }, method: 'daemon.ping' }),
    () => JSON.stringify({ jsonrpc: '2.0', id: index, method: 'no.such.method' }),
    () => JSON.stringify({ jsonrpc: '2.0', id: index, method: 'apps.describe', params: { name: 42 } }),
    () => JSON.stringify({ jsonrpc: '2.0', id: index, method: 'apps.create', params: { spec: { name: '../bad', command: '' } } }),
    () => JSON.stringify({ jsonrpc: '2.0', id: index, method: 'daemon.ping', params: 'text' }),
    () => JSON.stringify({ jsonrpc: '2.0', id: index, method: 'rpc.unsubscribe', params: { subscription: 7 } }),
    () => 'null',
    () => '"just a string"',
    () => JSON.stringify({ jsonrpc: '2.0', id: index, method: 'apps.stop', params: { target: 'x'.repeat(500) } }),
  ];
  const pick = kinds[Math.floor(random() * kinds.length)] as () => string | Buffer;
  return pick();
}

describe('management plane under malformed input', () => {
  it('answers thousands of bad frames with JSON-RPC errors and still answers ping', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const socket = await openPlane(path.join(home, 'owl.sock'));
    const random = makeRandom(20_261_122);
    const total = 3_000;
    let answered = 0;
    const codes = new Set<string>();
    const done = new Promise<void>((resolve, reject) => {
      socket.on('message', (raw) => {
        const frame = JSON.parse(raw.toString()) as { error?: { code: number; data: { code: string } } };
        if (!frame.error) return reject(new Error(`expected an error, got ${raw.toString()}`));
        expect(Number.isInteger(frame.error.code)).toBe(true);
        codes.add(frame.error.data.code);
        answered += 1;
        if (answered === total) resolve();
      });
      socket.on('close', () => reject(new Error('daemon closed the connection')));
    });
    for (let index = 0; index < total; index += 1) {
      socket.send(malformedFrame(random, index));
      // Keep under the in-flight limit: pace by what has been answered.
      while (index - answered > 32) await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect([...codes].sort()).toEqual(['OWL_INVALID_PARAMS', 'OWL_INVALID_REQUEST', 'OWL_METHOD_NOT_FOUND', 'OWL_PARSE_ERROR']);
    socket.close();
    const pong = await owlJson<{ pong: boolean }>(['ping'], home);
    expect(pong.pong).toBe(true);
  });

  it('answers a frame over the size limit with OWL_FRAME_TOO_LARGE and keeps the connection', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const socket = await openPlane(path.join(home, 'owl.sock'));
    const replies: Array<{ id: unknown; error?: { data: { code: string }; message: string }; result?: unknown }> = [];
    const next = (): Promise<(typeof replies)[number]> =>
      new Promise((resolve) => socket.once('message', (raw) => resolve(JSON.parse(raw.toString()))));
    let reply = next();
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'daemon.ping', params: { pad: 'x'.repeat(2 * 1024 * 1024) } }));
    const tooLarge = await reply;
    expect(tooLarge.error?.data.code).toBe('OWL_FRAME_TOO_LARGE');
    expect(tooLarge.error?.message).toMatch(/^frame of \d+ bytes exceeds the limit of 1048576 bytes$/);
    reply = next();
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'daemon.ping' }));
    expect((await reply).result).toMatchObject({ pong: true });
    socket.close();
  });
});
