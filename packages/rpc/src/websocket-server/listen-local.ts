import { createServer, type Server, type Socket } from 'node:net';
import { MAX_FRAME_HEADER } from '../protocol/frames.ts';
import type { RpcServer } from '../server/rpc-server.ts';
import type { Session } from '../server/session.ts';
import type { HeldListener } from '../transport/held-listener.ts';
import { rejectOverLimit, rejectUpgrade, rejectWrongPath } from '../transport/http-refusal.ts';
import { listenOn } from '../transport/listen-on.ts';
import type { Listener } from '../transport/listener.ts';
import { acceptFor } from '../websocket/accept-key.ts';
import { SERVER_END } from '../websocket/frames.ts';
import { WebSocketPeer } from '../websocket/websocket-peer.ts';
import { readRequestHead } from './read-request-head.ts';
import { decideUpgrade, parseRequestHead } from './upgrade-request.ts';

export interface LocalListenOptions {
  /** The socket path or named pipe; or a server that listens there already, holding what arrived until now. */
  target: { path: string } | HeldListener;
  rpc: RpcServer;
  /** Who every caller is: whoever can open the socket. */
  session: Session;
  /** Most connections served at once; more are refused with 503. */
  maxConnections?: number;
  /** How long a connection may take to send its upgrade request before it is cut. */
  handshakeTimeoutMs?: number;
}

// Node's own default limit on a request head.
const MAX_HEAD_BYTES = 16 * 1024;
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Serves JSON-RPC over WebSocket on the management socket (unix socket, 0600, or named pipe)
 * with the light server: the upgrade parsed by hand on node:net, frames through WebSocketPeer.
 * owld with no TCP plane thus loads neither `ws` nor http, https, tls or zlib.
 */
export async function listenLocalRpc(options: LocalListenOptions): Promise<Listener> {
  const held = 'server' in options.target ? options.target : null;
  const server: Server = held?.server ?? createServer();
  const maxConnections = options.maxConnections ?? 256;
  // ws got `maxPayload: maxFrameBytes * 4`: a larger frame answers an error, a far larger one closes.
  const maxMessageBytes = options.rpc.limits.maxFrameBytes * 4;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
  const sockets = new Set<Socket>();
  const peers = new Set<WebSocketPeer>();

  const upgrade = (socket: Socket, key: string, rest: Buffer, deadline: NodeJS.Timeout): void => {
    if (peers.size >= maxConnections) return rejectOverLimit(socket, maxConnections);
    clearTimeout(deadline);
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n` +
        // Clients learn the frame limit at the upgrade and refuse an oversized call before sending it.
        `${MAX_FRAME_HEADER}: ${options.rpc.limits.maxFrameBytes}\r\n\r\n`,
    );
    const peer = new WebSocketPeer(socket, rest, maxMessageBytes, SERVER_END);
    peers.add(peer);
    peer.once('close', () => peers.delete(peer));
    options.rpc.handleConnection(peer, options.session);
  };
  const serverOnConnection = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    // Until it is upgraded, a connection has this long: a silent or slow client, or one that
    // keeps a refused connection open, is cut and holds no socket.
    const deadline = setTimeout(() => socket.destroy(), handshakeTimeoutMs);
    socket.once('close', () => clearTimeout(deadline));
    readRequestHead(socket, MAX_HEAD_BYTES, (outcome) => {
      if (outcome.kind === 'too-large') return rejectUpgrade(socket, 431, 'Request Header Fields Too Large', `a request head of more than ${MAX_HEAD_BYTES} bytes`);
      const decision = decideUpgrade(parseRequestHead(outcome.head));
      if (decision.kind === 'upgrade') return upgrade(socket, decision.key, outcome.rest, deadline);
      if (decision.kind === 'wrong-path') return rejectWrongPath(socket, decision.url);
      rejectUpgrade(socket, decision.status, decision.reason, decision.message, decision.headers);
    });
  };

  let address: string;
  if (held) {
    address = held.address;
    held.release(serverOnConnection);
  } else {
    server.on('connection', serverOnConnection);
    address = await listenOn(server, options.target as { path: string });
  }
  return {
    address,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Clients and connections still in their handshake alike: none holds shutdown.
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
