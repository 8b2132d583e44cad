import { OwlError } from '../errors/owl-error.ts';

/** RFC 6455 5.2 opcodes. */
export const OPCODE = Object.freeze({ continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa });

/** RFC 6455 7.4.1 close codes this client sends. */
export const CLOSE_CODE = Object.freeze({ normal: 1000, protocolError: 1002, invalidData: 1007, tooBig: 1009 });

const KNOWN_OPCODES: ReadonlySet<number> = new Set(Object.values(OPCODE));
const MAX_CONTROL_PAYLOAD = 125;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

interface FrameHeader {
  fin: boolean;
  opcode: number;
  length: number;
}

/** The peer broke RFC 6455: the connection is closed with `closeCode`. */
export function protocolError(message: string, closeCode: number = CLOSE_CODE.protocolError): OwlError {
  return new OwlError('OWL_CONNECTION_CLOSED', `the daemon broke the WebSocket protocol: ${message}`, { data: { closeCode } });
}

// Masking keys and the handshake nonce: they guard against cache poisoning by proxies between
// a browser and a server (RFC 6455 10.3); a unix socket or named pipe to the local daemon has
// no intermediary, and node:crypto would cost every `owl` call several milliseconds to load.
export function randomBytes(count: number): Buffer {
  const bytes = Buffer.allocUnsafe(count);
  for (let index = 0; index < count; index += 1) bytes[index] = Math.floor(Math.random() * 256);
  return bytes;
}

/** One client frame (RFC 6455 5.2): final, masked, with a 7-, 16- or 64-bit length. */
export function encodeClientFrame(opcode: number, payload: Buffer, mask: Buffer = randomBytes(4)): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const headerLength = 2 + lengthBytes + 4;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) frame[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  mask.copy(frame, headerLength - 4, 0, 4);
  for (let index = 0; index < length; index += 1) frame[headerLength + index] = (payload[index] as number) ^ (mask[index & 3] as number);
  return frame;
}

/**
 * Cuts the server's byte stream into frames, however it arrives (a frame split over many
 * reads, several frames in one). Each payload is copied once, when its last byte is in.
 * Throws the protocol error for anything RFC 6455 forbids a server to send.
 */
export class FrameReader {
  readonly #maxPayloadBytes: number;
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  #header: FrameHeader | undefined;

  constructor(maxPayloadBytes: number) {
    this.#maxPayloadBytes = maxPayloadBytes;
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
      const { fin, opcode, length } = this.#header;
      this.#header = undefined;
      frames.push({ fin, opcode, payload: this.#take(length) });
    }
  }

  #readHeader(): FrameHeader | undefined {
    if (this.#buffered < 2) return undefined;
    const start = this.#peek(2);
    const first = start[0] as number;
    const second = start[1] as number;
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    if ((first & 0x70) !== 0) throw protocolError(`reserved bits ${(first & 0x70) >> 4} set, but no extension was negotiated`);
    if (!KNOWN_OPCODES.has(opcode)) throw protocolError(`unknown opcode 0x${opcode.toString(16)}`);
    if ((second & 0x80) !== 0) throw protocolError('a masked frame (a server never masks)');
    const lengthCode = second & 0x7f;
    const lengthBytes = lengthCode === 126 ? 2 : lengthCode === 127 ? 8 : 0;
    if (this.#buffered < 2 + lengthBytes) return undefined;
    const head = this.#take(2 + lengthBytes);
    let length = lengthCode;
    if (lengthBytes === 2) length = head.readUInt16BE(2);
    if (lengthBytes === 8) {
      const high = head.readUInt32BE(2);
      // Beyond 2^53 a length is no longer an exact number; far beyond any limit anyway.
      if (high > 0x1f_ffff) throw protocolError('a frame longer than 2^53 bytes', CLOSE_CODE.tooBig);
      length = high * 0x1_0000_0000 + head.readUInt32BE(6);
    }
    if (opcode >= OPCODE.close) {
      if (!fin) throw protocolError(`a fragmented control frame (opcode 0x${opcode.toString(16)})`);
      if (length > MAX_CONTROL_PAYLOAD) throw protocolError(`a control frame of ${length} bytes (at most ${MAX_CONTROL_PAYLOAD})`);
    }
    if (length > this.#maxPayloadBytes) {
      throw protocolError(`a frame of ${length} bytes, more than the ${this.#maxPayloadBytes} bytes this client reads in one message`, CLOSE_CODE.tooBig);
    }
    return { fin, opcode, length };
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
