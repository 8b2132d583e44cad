import { OwlError } from '../errors/owl-error.ts';

/** RFC 6455 5.2 opcodes. */
export const OPCODE = Object.freeze({ continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa });

/** RFC 6455 7.4.1 close codes this code sends. */
export const CLOSE_CODE = Object.freeze({ normal: 1000, protocolError: 1002, invalidData: 1007, tooBig: 1009 });

const KNOWN_OPCODES: ReadonlySet<number> = new Set(Object.values(OPCODE));
const MAX_CONTROL_PAYLOAD = 125;

/**
 * Which end of the connection this is: what it may read from the other end (RFC 6455 5.1: a
 * client masks every frame, a server none), whether it masks its own frames, and how its
 * errors name the two ends.
 */
export interface WebSocketEnd {
  /** Frames this end sends are masked (a client's are). */
  readonly masks: boolean;
  /** The other end, as an error message names it. */
  readonly peer: string;
  /** This end, as an error message names it. */
  readonly self: string;
}

export const CLIENT_END: WebSocketEnd = Object.freeze({ masks: true, peer: 'the daemon', self: 'this client' });
export const SERVER_END: WebSocketEnd = Object.freeze({ masks: false, peer: 'the client', self: 'the daemon' });

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

interface FrameHeader {
  fin: boolean;
  opcode: number;
  length: number;
  /** The client's masking key; null in a server's frame. */
  mask: Buffer | null;
}

/** The peer broke RFC 6455: the connection is closed with `closeCode`. */
export function protocolError(end: WebSocketEnd, message: string, closeCode: number = CLOSE_CODE.protocolError): OwlError {
  return new OwlError('OWL_CONNECTION_CLOSED', `${end.peer} broke the WebSocket protocol: ${message}`, { data: { closeCode } });
}

// Masking keys and the handshake nonce: they guard against cache poisoning by proxies between
// a browser and a server (RFC 6455 10.3); a unix socket or named pipe to the local daemon has
// no intermediary, and node:crypto would cost every `owl` call several milliseconds to load.
export function randomBytes(count: number): Buffer {
  const bytes = Buffer.allocUnsafe(count);
  for (let index = 0; index < count; index += 1) bytes[index] = Math.floor(Math.random() * 256);
  return bytes;
}

/** One final frame (RFC 6455 5.2) with a 7-, 16- or 64-bit length; masked with `mask` when given (a client's). */
export function encodeFrame(opcode: number, payload: Buffer, mask: Buffer | null): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const maskBit = mask === null ? 0 : 0x80;
  const headerLength = 2 + lengthBytes + (mask === null ? 0 : 4);
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) frame[1] = maskBit | length;
  else if (lengthBytes === 2) {
    frame[1] = maskBit | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = maskBit | 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  if (mask === null) {
    payload.copy(frame, headerLength);
    return frame;
  }
  mask.copy(frame, headerLength - 4, 0, 4);
  for (let index = 0; index < length; index += 1) frame[headerLength + index] = (payload[index] as number) ^ (mask[index & 3] as number);
  return frame;
}

/** One client frame: final, masked with a fresh key. */
export function encodeClientFrame(opcode: number, payload: Buffer, mask: Buffer = randomBytes(4)): Buffer {
  return encodeFrame(opcode, payload, mask);
}

/**
 * Cuts the peer's byte stream into frames, however it arrives (a frame split over many
 * reads, several frames in one). Each payload is copied once, when its last byte is in, and
 * unmasked in place when it comes from a client. Throws the protocol error for anything
 * RFC 6455 forbids the peer to send.
 */
export class FrameReader {
  readonly #maxPayloadBytes: number;
  readonly #end: WebSocketEnd;
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  #header: FrameHeader | undefined;

  /** `end`: the end that reads (the client's by default, reading what the daemon sends). */
  constructor(maxPayloadBytes: number, end: WebSocketEnd = CLIENT_END) {
    this.#maxPayloadBytes = maxPayloadBytes;
    this.#end = end;
  }

  /** Adds received bytes; returns the frames they complete, in order. */
  push(chunk: Buffer): Frame[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      this.#header ??= this.#readHeader();
      if (this.#header === undefined || this.#buffered < this.#header.length) return frames;
      const { fin, opcode, length, mask } = this.#header;
      this.#header = undefined;
      const payload = this.#take(length);
      if (mask !== null) for (let index = 0; index < length; index += 1) payload[index] = (payload[index] as number) ^ (mask[index & 3] as number);
      frames.push({ fin, opcode, payload });
    }
  }

  #readHeader(): FrameHeader | undefined {
    if (this.#buffered < 2) return undefined;
    const start = this.#peek(2);
    const first = start[0] as number;
    const second = start[1] as number;
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    const end = this.#end;
    if ((first & 0x70) !== 0) throw protocolError(end, `reserved bits ${(first & 0x70) >> 4} set, but no extension was negotiated`);
    if (!KNOWN_OPCODES.has(opcode)) throw protocolError(end, `unknown opcode 0x${opcode.toString(16)}`);
    const masked = (second & 0x80) !== 0;
    // RFC 6455 5.1: a server closes on an unmasked frame, a client on a masked one.
    if (masked && end.masks) throw protocolError(end, 'a masked frame (a server never masks)');
    if (!masked && !end.masks) throw protocolError(end, 'an unmasked frame (a client always masks)');
    const lengthCode = second & 0x7f;
    const lengthBytes = lengthCode === 126 ? 2 : lengthCode === 127 ? 8 : 0;
    const maskBytes = masked ? 4 : 0;
    if (this.#buffered < 2 + lengthBytes + maskBytes) return undefined;
    const head = this.#take(2 + lengthBytes + maskBytes);
    let length = lengthCode;
    if (lengthBytes === 2) length = head.readUInt16BE(2);
    if (lengthBytes === 8) {
      const high = head.readUInt32BE(2);
      // Beyond 2^53 a length is no longer an exact number; far beyond any limit anyway.
      if (high > 0x1f_ffff) throw protocolError(end, 'a frame longer than 2^53 bytes', CLOSE_CODE.tooBig);
      length = high * 0x1_0000_0000 + head.readUInt32BE(6);
    }
    if (opcode >= OPCODE.close) {
      if (!fin) throw protocolError(end, `a fragmented control frame (opcode 0x${opcode.toString(16)})`);
      if (length > MAX_CONTROL_PAYLOAD) throw protocolError(end, `a control frame of ${length} bytes (at most ${MAX_CONTROL_PAYLOAD})`);
    }
    if (length > this.#maxPayloadBytes) {
      throw protocolError(end, `a frame of ${length} bytes, more than the ${this.#maxPayloadBytes} bytes ${end.self} reads in one message`, CLOSE_CODE.tooBig);
    }
    // Copied: the head's bytes may be a view of a chunk the payload is unmasked in.
    return { fin, opcode, length, mask: masked ? Buffer.from(head.subarray(2 + lengthBytes)) : null };
  }

  /** The first `count` bytes, left in place. */
  #peek(count: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    return first.length >= count ? first : Buffer.concat(this.#chunks).subarray(0, count);
  }

  /** Removes and returns the first `count` bytes. */
  #take(count: number): Buffer {
    if (count === 0) return Buffer.alloc(0);
    this.#buffered -= count;
    const first = this.#chunks[0] as Buffer;
    if (first.length === count) return this.#chunks.shift() as Buffer;
    if (first.length > count) {
      this.#chunks[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    const taken = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.#chunks[0] as Buffer;
      const used = Math.min(chunk.length, count - filled);
      chunk.copy(taken, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(used);
    }
    return taken;
  }
}
