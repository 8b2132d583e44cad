import type { Socket } from 'node:net';
import { CLIENT_END } from '../websocket/frames.ts';
import { WebSocketPeer } from '../websocket/websocket-peer.ts';

/** The client end of a WebSocket to the local daemon, its handshake done: masks what it sends. */
export class LocalWebSocket extends WebSocketPeer {
  /** `leftover`: bytes that came in with the handshake's response, after its head. */
  constructor(socket: Socket, leftover: Buffer, maxMessageBytes: number) {
    super(socket, leftover, maxMessageBytes, CLIENT_END);
  }
}
