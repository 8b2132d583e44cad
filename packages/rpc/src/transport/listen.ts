import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { OwlError, type OwlErrorCode } from '../errors/owl-error.ts';
import type { RpcServer } from '../server/rpc-server.ts';
import type { Session } from '../server/session.ts';
import { MAX_FRAME_HEADER } from '../protocol/frames.ts';
import { RPC_PATH } from './rpc-path.ts';
import { listenOn, type ListenTarget } from './listen-on.ts';
import type { Listener } from './listener.ts';
import { rejectOverLimit, rejectUpgrade, rejectWrongPath } from './http-refusal.ts';

export { RPC_PATH };

export type { ListenTarget };

export interface ListenOptions {
  /** Where to listen. */
  target: ListenTarget;
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

export type { Listener };

const UNAUTHORIZED: [number, string] = [401, 'Unauthorized'];
/** How an authenticate() failure answers the upgrade; anything else is a 401. */
const AUTH_FAILURE_STATUS: Partial<Record<OwlErrorCode, [number, string]>> = {
  OWL_FORBIDDEN: [403, 'Forbidden'],
  OWL_TOO_MANY_REQUESTS: [429, 'Too Many Requests'],
  OWL_LIMIT_EXCEEDED: [503, 'Service Unavailable'],
  OWL_INTERNAL: [500, 'Internal Server Error'],
};

/** Serves JSON-RPC over WebSocket (`ws` on node:http) on a TCP port; the local plane has listenLocalRpc. */
export async function listenRpc(options: ListenOptions): Promise<Listener> {
  const server = options.createHttpServer?.() ?? createServer();
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
      rejectWrongPath(socket, url);
      return;
    }
    if (wss.clients.size >= maxConnections) {
      rejectOverLimit(socket, maxConnections);
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

  const address = await listenOn(server, options.target);
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
