import { sha1 } from './sha1.ts';

// RFC 6455 1.3: what the server appends to the client's key before hashing it.
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The Sec-WebSocket-Accept a server answers `key` with (and a client checks). */
export function acceptFor(key: string): string {
  return sha1(Buffer.from(key + WEBSOCKET_GUID, 'latin1')).toString('base64');
}
