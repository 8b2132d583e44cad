import { acceptFor } from '../websocket/accept-key.ts';
import { randomBytes } from '../websocket/frames.ts';
import { headerHasToken, parseHeaderLines, type HeaderMap } from '../websocket/http-head.ts';

/** A fresh Sec-WebSocket-Key: 16 random bytes, base64. */
export function newWebSocketKey(): string {
  return randomBytes(16).toString('base64');
}

/** The upgrade request; no extensions or subprotocols are offered, so none may be accepted. */
export function upgradeRequest(path: string, key: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
}

export interface ResponseHead {
  status: number;
  headers: HeaderMap;
}

/** Parses an HTTP/1.1 response head (without its blank line); null when it is not one. */
export function parseResponseHead(head: string): ResponseHead | null {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
  if (!match) return null;
  const headers = parseHeaderLines(lines);
  return headers === null ? null : { status: Number(match[1]), headers };
}

/** Why a 101 answer does not complete this client's handshake (RFC 6455 4.1), or null when it does. */
export function upgradeProblem(headers: HeaderMap, key: string): string | null {
  if (headers.get('upgrade')?.toLowerCase() !== 'websocket') return `"Upgrade: websocket" expected, received ${JSON.stringify(headers.get('upgrade') ?? null)}`;
  if (!headerHasToken(headers.get('connection'), 'upgrade')) return `"Connection: Upgrade" expected, received ${JSON.stringify(headers.get('connection') ?? null)}`;
  const expected = acceptFor(key);
  if (headers.get('sec-websocket-accept') !== expected) {
    return `Sec-WebSocket-Accept ${JSON.stringify(expected)} expected, received ${JSON.stringify(headers.get('sec-websocket-accept') ?? null)}`;
  }
  if (headers.has('sec-websocket-extensions')) return `an extension was accepted that was not offered (${headers.get('sec-websocket-extensions')})`;
  if (headers.has('sec-websocket-protocol')) return `a subprotocol was chosen that was not offered (${headers.get('sec-websocket-protocol')})`;
  return null;
}
