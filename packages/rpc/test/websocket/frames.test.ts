import { describe, expect, it } from 'vitest';
import { OwlError } from '../../src/errors/owl-error.ts';
import { encodeClientFrame, encodeFrame, FrameReader, OPCODE, SERVER_END, type Frame } from '../../src/websocket/frames.ts';

/** A server frame (unmasked) as bytes, with the smallest length encoding unless told otherwise. */
function serverFrame(opcode: number, payload: Buffer, { fin = true, lengthBytes }: { fin?: boolean; lengthBytes?: 0 | 2 | 8 } = {}): Buffer {
  const size = lengthBytes ?? (payload.length < 126 ? 0 : payload.length < 0x10000 ? 2 : 8);
  const head = Buffer.alloc(2 + size);
  head[0] = (fin ? 0x80 : 0) | opcode;
  if (size === 0) head[1] = payload.length;
  if (size === 2) {
    head[1] = 126;
    head.writeUInt16BE(payload.length, 2);
  }
  if (size === 8) {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([head, payload]);
}

function unmask(frame: Buffer): { fin: boolean; opcode: number; masked: boolean; payload: Buffer } {
  const lengthCode = (frame[1] as number) & 0x7f;
  const lengthBytes = lengthCode === 126 ? 2 : lengthCode === 127 ? 8 : 0;
  const length = lengthBytes === 2 ? frame.readUInt16BE(2) : lengthBytes === 8 ? Number(frame.readBigUInt64BE(2)) : lengthCode;
  const mask = frame.subarray(2 + lengthBytes, 6 + lengthBytes);
  const payload = Buffer.from(frame.subarray(6 + lengthBytes));
  expect(payload.length).toBe(length);
  for (let index = 0; index < payload.length; index += 1) payload[index] = (payload[index] as number) ^ (mask[index & 3] as number);
  return { fin: ((frame[0] as number) & 0x80) !== 0, opcode: (frame[0] as number) & 0x0f, masked: ((frame[1] as number) & 0x80) !== 0, payload };
}

function failure(run: () => unknown): OwlError {
  try {
    run();
  } catch (error) {
    return error as OwlError;
  }
  throw new Error('expected a protocol error');
}

describe('client frames', () => {
  it('are masked, final, and carry 7-, 16- and 64-bit lengths that unmask to the payload', () => {
    for (const length of [0, 1, 125, 126, 65_535, 65_536, 200_000]) {
      const payload = Buffer.from(Array.from({ length }, (_, index) => index & 0xff));
      const { payload: unmasked, ...header } = unmask(encodeClientFrame(OPCODE.text, payload));
      expect(header, `length ${length}`).toEqual({ fin: true, opcode: OPCODE.text, masked: true });
      expect(unmasked.equals(payload), `length ${length}`).toBe(true);
    }
  });

  it('draw a fresh masking key for each frame', () => {
    const keys = new Set(Array.from({ length: 20 }, () => encodeClientFrame(OPCODE.ping, Buffer.alloc(0)).subarray(2, 6).toString('hex')));
    expect(keys.size).toBeGreaterThan(1);
  });
});

describe('FrameReader', () => {
  it('reads frames fed one byte at a time, a large one in many chunks, and several frames in one chunk', () => {
    const small = [serverFrame(OPCODE.text, Buffer.from('hi')), serverFrame(OPCODE.binary, Buffer.alloc(300, 's')), serverFrame(OPCODE.ping, Buffer.from('p'))];
    const oneByOne = new FrameReader(1 << 20);
    const frames: Frame[] = [];
    for (const byte of Buffer.concat(small)) frames.push(...oneByOne.push(Buffer.from([byte])));
    const expected = [
      { fin: true, opcode: OPCODE.text, payload: Buffer.from('hi') },
      { fin: true, opcode: OPCODE.binary, payload: Buffer.alloc(300, 's') },
      { fin: true, opcode: OPCODE.ping, payload: Buffer.from('p') },
    ];
    expect(frames).toEqual(expected);
    expect(new FrameReader(1 << 20).push(Buffer.concat(small))).toEqual(expected);

    const big = Buffer.from(Array.from({ length: 200_000 }, (_, index) => (index * 7) & 0xff));
    const bytes = serverFrame(OPCODE.binary, big);
    const chunked = new FrameReader(1 << 20);
    const read: Frame[] = [];
    for (let offset = 0; offset < bytes.length; offset += 4_096) read.push(...chunked.push(bytes.subarray(offset, offset + 4_096)));
    expect(read.map(({ fin, opcode, payload }) => ({ fin, opcode, length: payload.length }))).toEqual([{ fin: true, opcode: OPCODE.binary, length: big.length }]);
    expect((read[0] as Frame).payload.equals(big)).toBe(true);
  });

  it('reads a 64-bit length and a non-minimal 16-bit one', () => {
    const reader = new FrameReader(1 << 20);
    expect(reader.push(serverFrame(OPCODE.text, Buffer.from('x'), { lengthBytes: 8 }))).toEqual([{ fin: true, opcode: OPCODE.text, payload: Buffer.from('x') }]);
    expect(reader.push(serverFrame(OPCODE.text, Buffer.from('yz'), { lengthBytes: 2 }))).toEqual([{ fin: true, opcode: OPCODE.text, payload: Buffer.from('yz') }]);
  });

  it('refuses what a server must not send, naming it and the close code', () => {
    const cases: Array<[Buffer, string, number]> = [
      [Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x41]), 'the daemon broke the WebSocket protocol: a masked frame (a server never masks)', 1002],
      [Buffer.from([0xc1, 0x00]), 'the daemon broke the WebSocket protocol: reserved bits 4 set, but no extension was negotiated', 1002],
      [Buffer.from([0x83, 0x00]), 'the daemon broke the WebSocket protocol: unknown opcode 0x3', 1002],
      [Buffer.from([0x09, 0x00]), 'the daemon broke the WebSocket protocol: a fragmented control frame (opcode 0x9)', 1002],
      [serverFrame(OPCODE.ping, Buffer.alloc(126)), 'the daemon broke the WebSocket protocol: a control frame of 126 bytes (at most 125)', 1002],
      [serverFrame(OPCODE.text, Buffer.alloc(0), { lengthBytes: 8 }).fill(0xff, 2, 4), 'the daemon broke the WebSocket protocol: a frame longer than 2^53 bytes', 1009],
    ];
    for (const [bytes, message, closeCode] of cases) {
      const error = failure(() => new FrameReader(1 << 20).push(bytes));
      expect(error).toBeInstanceOf(OwlError);
      expect(error.code).toBe('OWL_CONNECTION_CLOSED');
      expect(error.message).toBe(message);
      expect(error.data).toEqual({ closeCode });
    }
  });

  it('refuses a frame above the limit from its header alone, before its payload arrives', () => {
    const header = serverFrame(OPCODE.text, Buffer.alloc(2_000)).subarray(0, 4);
    const error = failure(() => new FrameReader(1_000).push(header));
    expect(error.message).toBe('the daemon broke the WebSocket protocol: a frame of 2000 bytes, more than the 1000 bytes this client reads in one message');
    expect(error.data).toEqual({ closeCode: 1009 });
  });
});

describe('FrameReader on the server end', () => {
  it('unmasks client frames, however they arrive, and reads the unmasked frames a server sends back', () => {
    const payload = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 13) & 0xff));
    const bytes = Buffer.concat([encodeClientFrame(OPCODE.text, Buffer.from('hello')), encodeClientFrame(OPCODE.binary, payload)]);
    const reader = new FrameReader(1 << 20, SERVER_END);
    const frames: Frame[] = [];
    for (let offset = 0; offset < bytes.length; offset += 999) frames.push(...reader.push(bytes.subarray(offset, offset + 999)));
    expect(frames.map(({ opcode, payload: bytes }) => ({ opcode, bytes: bytes.toString('hex') }))).toEqual([
      { opcode: OPCODE.text, bytes: Buffer.from('hello').toString('hex') },
      { opcode: OPCODE.binary, bytes: payload.toString('hex') },
    ]);
    expect(new FrameReader(1 << 20).push(encodeFrame(OPCODE.text, Buffer.from('back'), null))).toEqual([{ fin: true, opcode: OPCODE.text, payload: Buffer.from('back') }]);
  });

  it('refuses an unmasked client frame with 1002, and names the client', () => {
    const error = failure(() => new FrameReader(1 << 20, SERVER_END).push(encodeFrame(OPCODE.text, Buffer.from('x'), null)));
    expect(error.message).toBe('the client broke the WebSocket protocol: an unmasked frame (a client always masks)');
    expect(error.data).toEqual({ closeCode: 1002 });
  });
});
