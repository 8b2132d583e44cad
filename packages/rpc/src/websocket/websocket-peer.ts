import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { OwlError } from '../errors/owl-error.ts';
import { CLOSE_CODE, encodeFrame, FrameReader, OPCODE, protocolError, randomBytes, type Frame, type WebSocketEnd } from './frames.ts';

/** How long a closing handshake may take before the socket is cut. */
const CLOSE_TIMEOUT_MS = 1_000;

/** WHATWG readyState values, as `ws` gives them. */
export const READY_STATE = Object.freeze({ open: 1, closing: 2, closed: 3 });

type State = 'open' | 'closing' | 'closed';

// Codes a peer may send in a close frame (RFC 6455 7.4): 1005 and 1006 are never on the wire.
function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/**
 * One end of a WebSocket whose handshake is done, over a unix socket or named pipe: frames out
 * (masked by a client); frames in reassembled into messages (fragments and large frames), ping
 * answered with pong, the closing handshake in both directions. Events, as the `ws` package
 * names them: 'message' (the bytes, and whether they are binary), 'pong', 'error' (then
 * 'close'), 'close' (code, reason).
 */
export class WebSocketPeer extends EventEmitter {
  readonly #socket: Socket;
  readonly #end: WebSocketEnd;
  readonly #reader: FrameReader;
  readonly #maxMessageBytes: number;
  #state: State = 'open';
  #fragments: Buffer[] | null = null;
  #fragmentsOpcode: number = OPCODE.text;
  #fragmentBytes = 0;
  #closeCode = 1006;
  #closeReason = '';
  #closeTimer: NodeJS.Timeout | undefined;
  // Nothing the peer sends after its close frame counts (RFC 6455 5.5.1).
  #peerClosed = false;

  /** `leftover`: bytes that came in with the handshake, after its head. */
  constructor(socket: Socket, leftover: Buffer, maxMessageBytes: number, end: WebSocketEnd) {
    super();
    this.#socket = socket;
    this.#end = end;
    this.#maxMessageBytes = maxMessageBytes;
    this.#reader = new FrameReader(maxMessageBytes, end);
    socket.on('data', (chunk: Buffer) => this.#socketOnData(chunk));
    socket.on('error', (error: Error) => this.#emitError(error));
    socket.once('close', () => this.#socketOnClose());
    // After the caller has had its turn to listen (the handshake's promise settles first).
    if (leftover.length > 0) setImmediate(() => this.#socketOnData(leftover));
  }

  get readyState(): number {
    return READY_STATE[this.#state];
  }

  /** Bytes written but not yet handed to the OS: how far a slow reader is behind. */
  get bufferedAmount(): number {
    return this.#socket.writableLength;
  }

  /** Sends one text message; dropped once closing (whatever waits on it fails at 'close'). */
  send(text: string): void {
    if (this.#state === 'open') this.#write(OPCODE.text, Buffer.from(text, 'utf8'));
  }

  ping(): void {
    if (this.#state === 'open') this.#write(OPCODE.ping, Buffer.alloc(0));
  }

  /** Starts the closing handshake; the socket is cut if the peer does not finish it in time. */
  close(code: number = CLOSE_CODE.normal): void {
    if (this.#state !== 'open') return;
    this.#writeClose(code);
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), CLOSE_TIMEOUT_MS).unref();
  }

  /** Cuts the connection at once. */
  terminate(): void {
    this.#state = this.#state === 'closed' ? 'closed' : 'closing';
    this.#socket.destroy();
  }

  #write(opcode: number, payload: Buffer): void {
    this.#socket.write(encodeFrame(opcode, payload, this.#end.masks ? randomBytes(4) : null));
  }

  #writeClose(code: number | null): void {
    this.#state = 'closing';
    const payload = Buffer.alloc(code === null ? 0 : 2);
    if (code !== null) payload.writeUInt16BE(code, 0);
    this.#write(OPCODE.close, payload);
  }

  #socketOnData(chunk: Buffer): void {
    if (this.#state === 'closed' || this.#peerClosed) return;
    try {
      for (const frame of this.#reader.push(chunk)) {
        this.#handleFrame(frame);
        if (this.#peerClosed) return;
      }
    } catch (error) {
      this.#fail(error as OwlError);
    }
  }

  #handleFrame(frame: Frame): void {
    switch (frame.opcode) {
      case OPCODE.ping:
        if (this.#state === 'open') this.#write(OPCODE.pong, frame.payload);
        return;
      case OPCODE.pong:
        this.emit('pong', frame.payload);
        return;
      case OPCODE.close:
        this.#peerOnClose(frame.payload);
        return;
      case OPCODE.continuation:
        if (this.#fragments === null) throw protocolError(this.#end, 'a continuation frame with no message to continue');
        break;
      default:
        if (this.#fragments !== null) throw protocolError(this.#end, 'a new message began before the previous one ended');
        this.#fragments = [];
        this.#fragmentsOpcode = frame.opcode;
        this.#fragmentBytes = 0;
    }
    this.#fragmentBytes += frame.payload.length;
    if (this.#fragmentBytes > this.#maxMessageBytes) {
      throw protocolError(this.#end, `a message of more than ${this.#maxMessageBytes} bytes, the most ${this.#end.self} reads`, CLOSE_CODE.tooBig);
    }
    this.#fragments.push(frame.payload);
    if (!frame.fin) return;
    const fragments = this.#fragments;
    this.#fragments = null;
    const message = fragments.length === 1 ? (fragments[0] as Buffer) : Buffer.concat(fragments, this.#fragmentBytes);
    const isBinary = this.#fragmentsOpcode === OPCODE.binary;
    if (!isBinary) this.#checkText(message, 'a text message');
    this.emit('message', message, isBinary);
  }

  #checkText(bytes: Buffer, what: string): void {
    if (!isUtf8(bytes)) throw protocolError(this.#end, `${what} that is not valid UTF-8`, CLOSE_CODE.invalidData);
  }

  /** The peer's close frame: answered (when it started the handshake), then the socket ends. */
  #peerOnClose(payload: Buffer): void {
    if (payload.length === 1) throw protocolError(this.#end, 'a close frame with a 1-byte payload');
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    if (payload.length >= 2 && !isSendableCloseCode(code)) throw protocolError(this.#end, `a close frame with the invalid code ${code}`);
    const reason = payload.subarray(2);
    this.#checkText(reason, 'a close reason');
    this.#peerClosed = true;
    this.#closeCode = code;
    this.#closeReason = reason.toString('utf8');
    if (this.#state === 'open') this.#writeClose(code === 1005 ? null : code);
    // The server closes the TCP connection first (RFC 6455 7.1.1); a client ending its side lets it.
    this.#socket.end();
    clearTimeout(this.#closeTimer);
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), CLOSE_TIMEOUT_MS).unref();
  }

  /** A protocol violation: said to the peer with its close code, reported, and the socket cut. */
  #fail(error: OwlError): void {
    const closeCode = Number(error.data?.closeCode ?? CLOSE_CODE.protocolError);
    if (this.#state === 'open') this.#writeClose(closeCode);
    this.#state = 'closed';
    this.#emitError(error);
    // Cut once the close frame is written: nothing the peer says any more can be trusted.
    this.#socket.end(() => this.#socket.destroy());
    clearTimeout(this.#closeTimer);
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), CLOSE_TIMEOUT_MS).unref();
  }

  #emitError(error: Error): void {
    // Unheard, an 'error' event would throw; 'close' follows and tells the listeners anyway.
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  #socketOnClose(): void {
    this.#state = 'closed';
    clearTimeout(this.#closeTimer);
    this.emit('close', this.#closeCode, this.#closeReason);
  }
}
