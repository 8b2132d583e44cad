import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RpcClient } from '../../src/index.ts';
import { RpcServer, listenLocalRpc, type Handlers, type Listener, type RpcLimits } from '../../src/server/index.ts';
import { acceptFor } from '../../src/websocket/accept-key.ts';
import { encodeClientFrame, encodeFrame, FrameReader, OPCODE, type Frame } from '../../src/websocket/frames.ts';

// RFC 6455 1.3's own example.
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const handlers: Partial<Handlers> = { 'daemon.ping': () => ({ pong: true, pid: 7, version: 'light' }) };

function tempHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'owl-lws-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

async function serve(options: { limits?: Partial<RpcLimits>; maxConnections?: number; handshakeTimeoutMs?: number } = {}): Promise<{ home: string; listener: Listener }> {
  const home = tempHome();
  const listener = await listenLocalRpc({
    target: { path: path.join(home, 'owl.sock') },
    rpc: new RpcServer(handlers as Handlers, options.limits),
    session: { role: 'admin', plane: 'local', subject: 'test' },
    maxConnections: options.maxConnections,
    handshakeTimeoutMs: options.handshakeTimeoutMs,
  });
  onTestFinished(() => listener.close());
  return { home, listener };
}

/** A hand-driven client: what it writes is raw bytes; what it reads, an HTTP head then server frames. */
class RawClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #received: Buffer = Buffer.alloc(0);
  #changed: () => void = () => undefined;

  constructor(address: string, allowHalfOpen: boolean = false) {
    this.socket = connect({ path: address, allowHalfOpen });
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#changed();
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    onTestFinished(() => void this.socket.destroy());
  }

  /** Resolves once `done` holds for what was received (or the connection closed). */
  async until<T>(done: (received: Buffer) => T | undefined): Promise<T> {
    let ended = false;
    void this.closed.then(() => {
      ended = true;
      this.#changed();
    });
    for (;;) {
      const result = done(this.#received);
      if (result !== undefined) return result;
      if (ended) throw new Error(`connection closed; received ${JSON.stringify(this.#received.toString('latin1').slice(0, 300))}`);
      await new Promise<void>((resolve) => (this.#changed = resolve));
    }
  }

  /** The response head (status line and headers) and the JSON body of a refusal. */
  async response(): Promise<{ head: string; body: unknown }> {
    const text = await this.until((received) => {
      const value = received.toString('latin1');
      const end = value.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(value)?.[1] ?? 0);
      return end >= 0 && value.length >= end + 4 + length ? value : undefined;
    });
    const end = text.indexOf('\r\n\r\n');
    const bodyText = text.slice(end + 4);
    return { head: text.slice(0, end), body: bodyText === '' ? null : JSON.parse(bodyText) };
  }

  /** Upgrades; resolves with the 101's head. */
  async upgrade(key: string = KEY): Promise<string> {
    this.socket.write(`GET /rpc HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    const head = await this.until((received) => {
      const end = received.indexOf('\r\n\r\n');
      return end >= 0 ? received.subarray(0, end).toString('latin1') : undefined;
    });
    this.#received = this.#received.subarray(head.length + 4);
    return head;
  }

  /** The server frames received after the upgrade, once there are `count` of them. */
  frames(count: number): Promise<Frame[]> {
    return this.until((received) => {
      const frames = new FrameReader(1 << 26).push(Buffer.from(received));
      return frames.length >= count ? frames : undefined;
    });
  }
}

function closeCodeOf(frame: Frame | undefined): number {
  expect(frame?.opcode).toBe(OPCODE.close);
  return (frame as Frame).payload.readUInt16BE(0);
}

const PING_CALL = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'daemon.ping', params: {} });
const PING_ANSWER = { jsonrpc: '2.0', id: 1, result: { pong: true, pid: 7, version: 'light' } };

describe('the light local WebSocket server', () => {
  it('listens 0600, answers the upgrade with the RFC accept value and the frame limit, then serves calls', async () => {
    const { listener, home } = await serve({ limits: { maxFrameBytes: 4096 } });
    if (process.platform !== 'win32') expect(statSync(listener.address).mode & 0o777).toBe(0o600);
    const client = new RawClient(listener.address);
    const head = await client.upgrade();
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      'x-owl-max-frame-bytes: 4096',
    ]);
    expect(acceptFor(KEY)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    client.socket.write(encodeClientFrame(OPCODE.text, Buffer.from(PING_CALL)));
    const [answer] = await client.frames(1);
    expect(answer?.opcode).toBe(OPCODE.text);
    expect(JSON.parse(String(answer?.payload))).toEqual(PING_ANSWER);
    // The CLI's own client, end to end.
    const rpc = await RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: 5_000, callTimeoutMs: 5_000 });
    onTestFinished(() => rpc.close());
    expect(await rpc.call('daemon.ping', {})).toEqual(PING_ANSWER.result);
  });

  it('refuses a bad key or version with 400, an unknown version with 426, and reads on', async () => {
    const { listener } = await serve();
    const cases: Array<[string, string, Record<string, string>]> = [
      ['Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13', 'HTTP/1.1 400 Bad Request', { error: 'missing or invalid Sec-WebSocket-Key: "short"' }],
      ['Sec-WebSocket-Version: 13', 'HTTP/1.1 400 Bad Request', { error: 'missing or invalid Sec-WebSocket-Key: null' }],
      [`Sec-WebSocket-Key: ${KEY}`, 'HTTP/1.1 400 Bad Request', { error: 'missing or invalid Sec-WebSocket-Version: null' }],
      [`Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 8`, 'HTTP/1.1 426 Upgrade Required', { error: 'WebSocket version 8 is not spoken here; use 13' }],
    ];
    for (const [headers, status, body] of cases) {
      const client = new RawClient(listener.address);
      client.socket.write(`GET /rpc HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${headers}\r\n\r\n`);
      const response = await client.response();
      expect(response.head.split('\r\n')[0], headers).toBe(status);
      expect(response.head).toContain('Connection: close');
      if (status.includes('426')) expect(response.head).toContain('Sec-WebSocket-Version: 13');
      expect(response.body, headers).toEqual(body);
      await client.closed;
    }
  });

  it('answers 404 JSON to an upgrade on another path, to a plain GET, and 400 to what is not HTTP', async () => {
    const { listener } = await serve();
    const other = new RawClient(listener.address);
    other.socket.write(`GET /elsewhere?x=1 HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect(await other.response()).toMatchObject({ body: { error: 'no WebSocket endpoint at /elsewhere?x=1; use /rpc' } });
    const plain = new RawClient(listener.address);
    plain.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const answer = await plain.response();
    expect(answer.head.split('\r\n')).toEqual(['HTTP/1.1 404 Not Found', 'Content-Type: application/json', 'Content-Length: 21', 'Connection: close']);
    expect(answer.body).toEqual({ error: 'not found' });
    await plain.closed;
    const garbage = new RawClient(listener.address);
    garbage.socket.write('hello\r\n\r\n');
    expect(await garbage.response()).toMatchObject({ body: { error: 'not an HTTP/1.1 request' } });
  });

  it('reassembles a fragmented message, answering a ping between its fragments', async () => {
    const { listener } = await serve();
    const client = new RawClient(listener.address);
    await client.upgrade();
    const fragment = (fin: boolean, opcode: number, text: string): Buffer => {
      const frame = encodeClientFrame(opcode, Buffer.from(text));
      if (!fin) frame[0] = (frame[0] as number) & 0x7f;
      return frame;
    };
    // One write, one byte at a time: however the bytes arrive.
    const bytes = Buffer.concat([fragment(false, OPCODE.text, PING_CALL.slice(0, 10)), encodeClientFrame(OPCODE.ping, Buffer.from('between')), fragment(false, OPCODE.continuation, PING_CALL.slice(10, 30)), fragment(true, OPCODE.continuation, PING_CALL.slice(30))]);
    for (const byte of bytes) client.socket.write(Buffer.from([byte]));
    const [pong, answer] = await client.frames(2);
    expect(pong).toEqual({ fin: true, opcode: OPCODE.pong, payload: Buffer.from('between') });
    expect(JSON.parse(String(answer?.payload))).toEqual(PING_ANSWER);
  });

  it('closes with 1002 on an unmasked client frame', async () => {
    const { listener } = await serve();
    const client = new RawClient(listener.address);
    await client.upgrade();
    client.socket.write(encodeFrame(OPCODE.text, Buffer.from(PING_CALL), null));
    const [close] = await client.frames(1);
    expect(closeCodeOf(close)).toBe(1002);
    await client.closed;
  });

  it('answers a frame above maxFrameBytes with a JSON-RPC error, and closes with 1009 on a message above 4x', async () => {
    const { listener } = await serve({ limits: { maxFrameBytes: 1_000 } });
    const client = new RawClient(listener.address);
    await client.upgrade();
    const large = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'daemon.ping', params: { pad: 'x'.repeat(2_000) } }));
    client.socket.write(encodeClientFrame(OPCODE.text, large));
    const [error] = await client.frames(1);
    expect(JSON.parse(String(error?.payload))).toMatchObject({ id: 5, error: { data: { code: 'OWL_FRAME_TOO_LARGE', size: large.length, limit: 1_000 } } });
    // Fragments of 3,000 bytes each: none alone is above 4,000, the message is.
    const fragment = encodeClientFrame(OPCODE.text, Buffer.alloc(3_000, 'y'));
    fragment[0] = OPCODE.text;
    const continuation = encodeClientFrame(OPCODE.continuation, Buffer.alloc(3_000, 'y'));
    client.socket.write(Buffer.concat([fragment, continuation]));
    const frames = await client.frames(2);
    expect(closeCodeOf(frames[1])).toBe(1009);
    await client.closed;
  });

  it('closes with 1009 on a single frame above 4x maxFrameBytes, from its header alone', async () => {
    const { listener } = await serve({ limits: { maxFrameBytes: 1_000 } });
    const client = new RawClient(listener.address);
    await client.upgrade();
    client.socket.write(encodeClientFrame(OPCODE.text, Buffer.alloc(5_000, 'z')).subarray(0, 8));
    const [close] = await client.frames(1);
    expect(closeCodeOf(close)).toBe(1009);
    await client.closed;
  });

  it('echoes a close frame, then ends the connection', async () => {
    const { listener } = await serve();
    const client = new RawClient(listener.address);
    await client.upgrade();
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(4001, 0);
    client.socket.write(encodeClientFrame(OPCODE.close, Buffer.concat([payload, Buffer.from('bye')])));
    const [close] = await client.frames(1);
    expect(close?.payload).toEqual(payload);
    await client.closed;
  });

  it('refuses connections over maxConnections with 503, and takes one again once a slot frees', async () => {
    const { listener } = await serve({ maxConnections: 2 });
    const first = new RawClient(listener.address);
    await first.upgrade();
    await new RawClient(listener.address).upgrade();
    const third = new RawClient(listener.address);
    third.socket.write(`GET /rpc HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    const refused = await third.response();
    expect(refused.head.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
    expect(refused.body).toEqual({ error: 'more than 2 connections' });
    first.socket.destroy();
    await first.closed;
    // The server sees the close after the client does: wait for the slot to free.
    for (;;) {
      const next = new RawClient(listener.address);
      if ((await next.upgrade()).startsWith('HTTP/1.1 101')) break;
    }
  });

  it('cuts a client that sends nothing or too little, or keeps a refused connection open, within the deadline; refuses a head too large', async () => {
    const { listener } = await serve({ handshakeTimeoutMs: 200 });
    const silent = new RawClient(listener.address);
    const slow = new RawClient(listener.address);
    slow.socket.write('GET /rpc HTTP/1.1\r\n');
    // Refused, it keeps its end open: the deadline cuts it all the same.
    const lingering = new RawClient(listener.address, true);
    lingering.socket.write('GET /healthz HTTP/1.1\r\n\r\n');
    expect((await lingering.response()).body).toEqual({ error: 'not found' });
    // Its writes fail (and close it) once the server has cut the connection.
    const writing = setInterval(() => lingering.socket.write('x'), 20);
    onTestFinished(() => clearInterval(writing));
    await Promise.all([silent.closed, slow.closed, lingering.closed]);
    expect(await silent.until((received) => received.length)).toBe(0);
    const large = new RawClient(listener.address);
    large.socket.write(`GET /rpc HTTP/1.1\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n`);
    expect((await large.response()).head.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
  });

  it('close() cuts clients and connections mid-handshake alike, and stops listening', async () => {
    const { listener } = await serve();
    const open = new RawClient(listener.address);
    await open.upgrade();
    const halfway = new RawClient(listener.address);
    halfway.socket.write('GET /rpc HTTP/1.1\r\n');
    await listener.close();
    await Promise.all([open.closed, halfway.closed]);
    const refused = await new Promise<string>((resolve) => connect(listener.address).once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? '')));
    expect(['ENOENT', 'ECONNREFUSED']).toContain(refused);
  });
});
