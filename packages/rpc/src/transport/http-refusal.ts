import type { Duplex } from 'node:stream';
import { RPC_PATH } from './rpc-path.ts';

/** Answers with `status` and a short JSON body `{error}`, then ends the connection. */
export function rejectUpgrade(socket: Duplex, status: number, reason: string, message: string, headers: readonly string[] = []): void {
  const body = JSON.stringify({ error: message });
  const extra = headers.map((header) => `${header}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`);
}

/** An upgrade to any path but RPC_PATH. */
export function rejectWrongPath(socket: Duplex, url: string): void {
  rejectUpgrade(socket, 404, 'Not Found', `no WebSocket endpoint at ${url.slice(0, 100)}; use ${RPC_PATH}`);
}

/** An upgrade beyond the plane's connection limit. */
export function rejectOverLimit(socket: Duplex, maxConnections: number): void {
  rejectUpgrade(socket, 503, 'Service Unavailable', `more than ${maxConnections} connections`);
}
