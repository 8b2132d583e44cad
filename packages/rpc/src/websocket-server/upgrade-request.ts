import { RPC_PATH } from '../transport/rpc-path.ts';
import { headerHasToken, parseHeaderLines, type HeaderMap } from '../websocket/http-head.ts';

export interface RequestHead {
  method: string;
  /** The request target as sent: path and query. */
  url: string;
  headers: HeaderMap;
}

/** What the local plane does with a request: refuse it (with the status named), or upgrade it. */
export type UpgradeDecision =
  | { kind: 'refuse'; status: number; reason: string; message: string; headers?: string[] }
  | { kind: 'wrong-path'; url: string }
  | { kind: 'upgrade'; key: string };

// RFC 6455 4.1: the key is 16 bytes, base64-encoded (as `ws` checks it).
const KEY_PATTERN = /^[+/0-9A-Za-z]{22}==$/;
const NOT_FOUND: UpgradeDecision = { kind: 'refuse', status: 404, reason: 'Not Found', message: 'not found' };

function badRequest(message: string): UpgradeDecision {
  return { kind: 'refuse', status: 400, reason: 'Bad Request', message };
}

/** Parses an HTTP/1.1 request head (without its blank line); null when it is not one. */
export function parseRequestHead(head: string): RequestHead | null {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
  if (!match) return null;
  const headers = parseHeaderLines(lines);
  return headers === null ? null : { method: match[1] as string, url: match[2] as string, headers };
}

/**
 * Decides the answer to a request on the local plane (RFC 6455 4.2.1): a plain HTTP request
 * gets 404, as the plane serves nothing but RPC_PATH's WebSocket; an upgrade elsewhere 404; a
 * malformed one 400; an unknown protocol version 426, naming the one spoken.
 */
export function decideUpgrade(request: RequestHead | null): UpgradeDecision {
  if (request === null) return badRequest('not an HTTP/1.1 request');
  const { headers } = request;
  if (!headers.has('upgrade')) return NOT_FOUND;
  if (request.url.split('?')[0] !== RPC_PATH) return { kind: 'wrong-path', url: request.url };
  if (request.method !== 'GET') return badRequest(`a WebSocket upgrade is a GET, not a ${request.method.slice(0, 16)}`);
  if (!headerHasToken(headers.get('upgrade'), 'websocket')) return badRequest(`"Upgrade: websocket" expected, received ${JSON.stringify(headers.get('upgrade')?.slice(0, 100))}`);
  if (!headerHasToken(headers.get('connection'), 'upgrade')) return badRequest(`"Connection: Upgrade" expected, received ${JSON.stringify(headers.get('connection')?.slice(0, 100) ?? null)}`);
  const version = headers.get('sec-websocket-version');
  if (version === undefined || !/^\d{1,3}$/.test(version)) return badRequest(`missing or invalid Sec-WebSocket-Version: ${JSON.stringify(version?.slice(0, 100) ?? null)}`);
  if (version !== '13') {
    return { kind: 'refuse', status: 426, reason: 'Upgrade Required', message: `WebSocket version ${version} is not spoken here; use 13`, headers: ['Sec-WebSocket-Version: 13'] };
  }
  const key = headers.get('sec-websocket-key');
  if (key === undefined || !KEY_PATTERN.test(key)) return badRequest(`missing or invalid Sec-WebSocket-Key: ${JSON.stringify(key?.slice(0, 100) ?? null)}`);
  return { kind: 'upgrade', key };
}
