// SHA-1 in a few lines, for one purpose only: the Sec-WebSocket-Accept header of the local
// WebSocket's handshake (RFC 6455 4.1). Loading node:crypto for it would cost every `owl`
// call more than the whole call to the daemon (and owld's start its share); nothing here is a
// security boundary.

const ROUND_CONSTANTS = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6] as const;

function roundFunction(round: number, b: number, c: number, d: number): number {
  if (round < 20) return (b & c) | (~b & d);
  if (round >= 40 && round < 60) return (b & c) | (b & d) | (c & d);
  return b ^ c ^ d;
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** The SHA-1 digest of `input` (20 bytes). */
export function sha1(input: Uint8Array): Buffer {
  // Message, the 0x80 marker, zero padding, then the length in bits as 64-bit big-endian.
  const blocks = Math.ceil((input.length + 9) / 64);
  const padded = Buffer.alloc(blocks * 64);
  padded.set(input);
  padded[input.length] = 0x80;
  const bitLength = input.length * 8;
  padded.writeUInt32BE(Math.floor(bitLength / 0x1_0000_0000), padded.length - 8);
  padded.writeUInt32BE(bitLength >>> 0, padded.length - 4);
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const words = new Uint32Array(80);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let index = 0; index < 16; index += 1) words[index] = padded.readUInt32BE(offset + index * 4);
    for (let index = 16; index < 80; index += 1) {
      words[index] = rotateLeft((words[index - 3] as number) ^ (words[index - 8] as number) ^ (words[index - 14] as number) ^ (words[index - 16] as number), 1);
    }
    let [a, b, c, d, e] = state as [number, number, number, number, number];
    for (let round = 0; round < 80; round += 1) {
      const next = (rotateLeft(a, 5) + roundFunction(round, b, c, d) + e + (ROUND_CONSTANTS[Math.floor(round / 20)] as number) + (words[round] as number)) >>> 0;
      e = d;
      d = c;
      c = rotateLeft(b, 30) >>> 0;
      b = a;
      a = next;
    }
    state[0] = ((state[0] as number) + a) >>> 0;
    state[1] = ((state[1] as number) + b) >>> 0;
    state[2] = ((state[2] as number) + c) >>> 0;
    state[3] = ((state[3] as number) + d) >>> 0;
    state[4] = ((state[4] as number) + e) >>> 0;
  }
  const digest = Buffer.alloc(20);
  state.forEach((word, index) => digest.writeUInt32BE(word, index * 4));
  return digest;
}
