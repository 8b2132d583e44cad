import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { OwlError } from '../../src/errors/owl-error.ts';
import { openLocalSocket } from '../../src/client/open-local-socket.ts';
import type { ClientSocket } from '../../src/client/client-socket.ts';
import { acceptFor } from '../../src/websocket/accept-key.ts';

function tempHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'owl-ws-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

/** A `ws` server (the daemon's library) on <home>/owl.sock; resolves with each connection as it comes. */
async function wsServer(home: string, headers: string[] = []): Promise<{ next(): Promise<WebSocket> }> {
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http, path: '/rpc', perMessageDeflate: false });
  wss.on('headers', (list) => list.push(...headers));
  const waiting: Array<(socket: WebSocket) => void> = [];
  const arrived: WebSocket[] = [];
  wss.on('connection', (socket) => {
    const taker = waiting.shift();
    if (taker) taker(socket);
    else arrived.push(socket);
  });
  await new Promise<void>((resolve) => http.listen(path.join(home, 'owl.sock'), resolve));
  onTestFinished(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return { next: () => new Promise((resolve) => (arrived.length > 0 ? resolve(arrived.shift() as WebSocket) : waiting.push(resolve))) };
}

/** A raw server on <home>/owl.sock: `answer` gets the upgrade request's head and the socket. */
async function rawServer(home: string, answer: (head: string, socket: Socket) => void): Promise<void> {
  const server = createNetServer((socket) => {
    let text = '';
    socket.on('error', () => undefined);
    socket.on('data', function onData(chunk: Buffer) {
      text += chunk.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      answer(text, socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(path.join(home, 'owl.sock'), resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

function keyOf(head: string): string {
  return /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? '';
}

function switching(head: string, accept: string = acceptFor(keyOf(head))): string {
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
}

async function open(home: string, timeoutMs: number = 5_000) {
  const opened = await openLocalSocket({ kind: 'local', home }, timeoutMs);
  onTestFinished(() => opened.socket.terminate());
  return opened;
}

function nextMessage(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => socket.once('message' as 'close', ((data: unknown) => resolve(String(data))) as () => void));
}

function closed(socket: ClientSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', ((code: number, reason: string) => resolve({ code, reason })) as () => void));
}

function failure(promise: Promise<unknown>): Promise<OwlError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as OwlError,
  );
}

describe('the local WebSocket client against the ws server', () => {
  it('exchanges messages both ways, 5 MB ones too (the server refuses unmasked frames)', async () => {
    const home = tempHome();
    const server = await wsServer(home);
    const { socket } = await open(home);
    const peer = await server.next();
    peer.on('message', (data) => peer.send(`echo ${String(data).length}:${String(data).slice(0, 5)}`));
    socket.send('hello');
    expect(await nextMessage(socket)).toBe('echo 5:hello');
    const big = 'é'.repeat(2_500_000);
    socket.send(big);
    expect(await nextMessage(socket)).toBe(`echo ${big.length}:ééééé`);
    const received = nextMessage(socket);
    peer.send(big);
    expect(await received).toBe(big);
  });

  it('reassembles a fragmented message with a ping between its fragments, answering the ping', async () => {
    const home = tempHome();
    const server = await wsServer(home);
    const { socket } = await open(home);
    const peer = await server.next();
    const ponged = new Promise<string>((resolve) => peer.once('pong', (data) => resolve(data.toString())));
    const received = nextMessage(socket);
    peer.send('first part, ', { fin: false });
    peer.ping('between');
    peer.send('x'.repeat(100_000), { fin: false });
    peer.send(' last part', { fin: true });
    expect(await received).toBe(`first part, ${'x'.repeat(100_000)} last part`);
    expect(await ponged).toBe('between');
  });

  it('pings and hears the pong; reads the frame limit the server announces', async () => {
    const home = tempHome();
    await wsServer(home, ['x-owl-max-frame-bytes: 4096']);
    const { socket, maxFrameBytes } = await open(home);
    expect(maxFrameBytes).toBe(4096);
    const pong = new Promise<void>((resolve) => socket.on('pong', resolve));
    socket.ping();
    await pong;
  });

  it('closes with 1000 when it closes, and answers a close the server starts with the same code', async () => {
    const home = tempHome();
    const server = await wsServer(home);
    const first = await open(home);
    const firstPeer = await server.next();
    const peerSaw = new Promise<number>((resolve) => firstPeer.once('close', (code) => resolve(code)));
    const firstClosed = closed(first.socket);
    first.socket.close();
    expect(await peerSaw).toBe(1000);
    expect((await firstClosed).code).toBe(1000);

    const second = await open(home);
    const secondPeer = await server.next();
    const secondClosed = closed(second.socket);
    const echoed = new Promise<number>((resolve) => secondPeer.once('close', (code) => resolve(code)));
    secondPeer.close(4001, 'bye');
    expect(await secondClosed).toEqual({ code: 4001, reason: 'bye' });
    expect(await echoed).toBe(4001);
  });

  it('fails a text message that is not UTF-8 with close code 1007, naming it', async () => {
    const home = tempHome();
    const server = await wsServer(home);
    const { socket } = await open(home);
    const peer = await server.next();
    const peerSaw = new Promise<number>((resolve) => peer.once('close', (code) => resolve(code)));
    const error = new Promise<Error>((resolve) => socket.on('error', resolve));
    const gone = closed(socket);
    peer.send(Buffer.from([0x6f, 0xff, 0x6c]), { binary: false });
    expect((await error).message).toBe('the daemon broke the WebSocket protocol: a text message that is not valid UTF-8');
    expect(await peerSaw).toBe(1007);
    await gone;
  });
});

describe('the local WebSocket client against a misbehaving server', () => {
  it('names a daemon that is not there', async () => {
    const home = tempHome();
    const error = await failure(openLocalSocket({ kind: 'local', home }, 5_000));
    expect(error.code).toBe('OWL_DAEMON_UNREACHABLE');
    expect(error.message).toBe(`cannot reach the daemon of ${home} (${path.join(home, 'owl.sock')}): ENOENT (is it running? start it with "owl daemon start")`);
  });

  it('refuses a wrong Sec-WebSocket-Accept', async () => {
    const home = tempHome();
    await rawServer(home, (head, socket) => socket.write(switching(head, acceptFor('not the key'))));
    const error = await failure(openLocalSocket({ kind: 'local', home }, 5_000));
    expect(error.code).toBe('OWL_DAEMON_UNREACHABLE');
    const prefix = `cannot reach the daemon of ${home} (${path.join(home, 'owl.sock')}): the WebSocket upgrade failed: `;
    expect(error.message.startsWith(prefix)).toBe(true);
    expect(error.message.slice(prefix.length)).toMatch(new RegExp(`^Sec-WebSocket-Accept "[A-Za-z0-9+/=]{28}" expected, received "${acceptFor('not the key').replace(/[+/]/g, '\\$&')}"$`));
  });

  it('maps an HTTP refusal to its code with the body\'s reason, with or without Content-Length', async () => {
    const home = tempHome();
    const body = JSON.stringify({ error: 'more than 256 connections' });
    await rawServer(home, (_head, socket) => socket.end(`HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    const limited = await failure(openLocalSocket({ kind: 'local', home }, 5_000));
    expect(limited.code).toBe('OWL_TOO_MANY_REQUESTS');
    expect(limited.message).toBe(`the daemon of ${home} (${path.join(home, 'owl.sock')}) refused the connection (HTTP 429): more than 256 connections`);

    const other = tempHome();
    await rawServer(other, (_head, socket) => socket.end('HTTP/1.1 404 Not Found\r\n\r\nno WebSocket endpoint here'));
    const missing = await failure(openLocalSocket({ kind: 'local', home: other }, 5_000));
    expect(missing.code).toBe('OWL_DAEMON_UNREACHABLE');
    expect(missing.message).toBe(`the daemon of ${other} (${path.join(other, 'owl.sock')}) refused the connection (HTTP 404): no WebSocket endpoint here`);
  });

  it('gives up on a server that accepts but never answers, and on one that hangs up first', async () => {
    const home = tempHome();
    await rawServer(home, () => undefined);
    const silent = await failure(openLocalSocket({ kind: 'local', home }, 300));
    expect(silent.code).toBe('OWL_DAEMON_NOT_ANSWERING');
    expect(silent.message).toBe(`the daemon of ${home} (${path.join(home, 'owl.sock')}) did not answer within 300 ms`);

    const other = tempHome();
    await rawServer(other, (_head, socket) => socket.end());
    const hungUp = await failure(openLocalSocket({ kind: 'local', home: other }, 5_000));
    expect(hungUp.code).toBe('OWL_DAEMON_UNREACHABLE');
    expect(hungUp.message).toContain('the WebSocket upgrade failed: the connection closed before the upgrade was answered');
  });

  it('delivers a frame that came in the same chunk as the 101, and fails on a masked frame with 1002', async () => {
    const home = tempHome();
    let peer: Socket | undefined;
    const fromClient: Buffer[] = [];
    let clientEnded: Promise<void> = Promise.resolve();
    await rawServer(home, (head, socket) => {
      peer = socket;
      socket.on('data', (chunk: Buffer) => fromClient.push(chunk));
      clientEnded = new Promise((resolve) => socket.once('close', () => resolve()));
      socket.write(Buffer.concat([Buffer.from(switching(head)), Buffer.from([0x81, 0x02]), Buffer.from('hi')]));
    });
    const { socket } = await open(home);
    expect(await nextMessage(socket)).toBe('hi');
    const error = new Promise<Error>((resolve) => socket.on('error', resolve));
    const gone = closed(socket);
    (peer as Socket).write(Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x41]));
    expect((await error).message).toBe('the daemon broke the WebSocket protocol: a masked frame (a server never masks)');
    await gone;
    await clientEnded;
    // The client's last frame: a masked close with code 1002.
    const sent = Buffer.concat(fromClient);
    const mask = sent.subarray(sent.length - 6, sent.length - 2);
    const code = (((sent[sent.length - 2] as number) ^ (mask[0] as number)) << 8) | ((sent[sent.length - 1] as number) ^ (mask[1] as number));
    expect(sent[sent.length - 8]).toBe(0x88);
    expect(code).toBe(1002);
  });
});
