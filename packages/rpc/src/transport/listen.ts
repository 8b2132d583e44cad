import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { OwlError, type OwlErrorCode } from '../errors/owl-error.ts';
import type { RpcServer } from '../server/rpc-server.ts';
import type { Session } from '../server/session.ts';
import { MAX_FRAME_HEADER } from '../protocol/frames.ts';
import { RPC_PATH } from './rpc-path.ts';
import { listenOn, type ListenTarget } from './listen-on.ts';
import type { HeldListener } from './held-listener.ts';

export { RPC_PATH };

export type { ListenTarget };

export interface ListenOptions {
  /** Where to listen; or a server that already listens, holding what arrived until now. */
  target: ListenTarget | HeldListener;
  rpc: RpcServer;
  /** Decides who the caller is at the upgrade; throwing OWL_UNAUTHORIZED answers 401, OWL_TOO_MANY_REQUESTS 429, OWL_LIMIT_EXCEEDED 503. */
  authenticate(request: IncomingMessage): Promise<Session> | Session;
  /** Plain HTTP requests (healthz, metrics); 404 when absent or unhandled. */
  onHttpRequest?(request: IncomingMessage, response: ServerResponse): boolean;
  /** Most connections served at once; more are refused with 503. */
  maxConnections?: number;
  /** Wraps the server (TLS); defaults to plain HTTP. */
  createHttpServer?(): Server;
}

export interface Listener {
  readonly address: string;
  close(): Promise<void>;
}

const UNAUTHORIZED: [number, string] = [401, 'Unauthorized'];
/** How an authenticate() failure answers the upgrade; anything else is a 401. */
const AUTH_FAILURE_STATUS: Partial<Record<OwlErrorCode, [number, string]>> = {
  OWL_FORBIDDEN: [403, 'Forbidden'],
  OWL_TOO_MANY_REQUESTS: [429, 'Too Many Requests'],
  OWL_LIMIT_EXCEEDED: [503, 'Service Unavailable'],
  OWL_INTERNAL: [500, 'Internal Server Error'],
};

function rejectUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Serves JSON-RPC over WebSocket on a unix socket, named pipe or TCP port. */
export async function listenRpc(options: ListenOptions): Promise<Listener> {
  const held = 'server' in options.target ? options.target : null;
  const server = held?.server ?? options.createHttpServer?.() ?? createServer();
  const maxConnections = options.maxConnections ?? 256;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.rpc.limits.maxFrameBytes * 4 });
  // Clients learn the frame limit at the upgrade and refuse an oversized call before sending it.
  wss.on('headers', (headers) => headers.push(`${MAX_FRAME_HEADER}: ${options.rpc.limits.maxFrameBytes}`));

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (options.onHttpRequest?.(request, response)) return;
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const url = request.url ?? '';
    if (url.split('?')[0] !== RPC_PATH) {
      rejectUpgrade(socket, 404, 'Not Found', `no WebSocket endpoint at ${url.slice(0, 100)}; use ${RPC_PATH}`);
      return;
    }
    if (wss.clients.size >= maxConnections) {
      rejectUpgrade(socket, 503, 'Service Unavailable', `more than ${maxConnections} connections`);
      return;
    }
    Promise.resolve()
      .then(() => options.authenticate(request))
      .then(
        (session) => {
          wss.handleUpgrade(request, socket, head, (ws) => options.rpc.handleConnection(ws, session));
        },
        (error: unknown) => {
          const message = error instanceof OwlError ? error.message : 'authentication failed';
          const [status, reason] = error instanceof OwlError ? (AUTH_FAILURE_STATUS[error.code] ?? UNAUTHORIZED) : UNAUTHORIZED;
          rejectUpgrade(socket, status, reason, message);
        },
      );
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  let address: string;
  if (held) {
    address = held.address;
    held.release();
  } else {
    address = await listenOn(server, options.target as ListenTarget);
  }
  return {
    address,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A client still sending its upgrade headers would otherwise hold shutdown until it times out.
      server.closeAllConnections?.();
      await closed;
    },
  };
}
