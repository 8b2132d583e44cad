import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1 } from '../../src/websocket/sha1.ts';
import { acceptFor } from '../../src/websocket/accept-key.ts';

describe('sha1', () => {
  it('agrees with node:crypto for every length around the block and padding boundaries', () => {
    for (let length = 0; length <= 200; length += 1) {
      const input = Buffer.from(Array.from({ length }, (_, index) => (index * 31 + length) & 0xff));
      expect(sha1(input).toString('hex'), `length ${length}`).toBe(createHash('sha1').update(input).digest('hex'));
    }
  });

  it('agrees with node:crypto on a long input', () => {
    const input = Buffer.alloc(100_003, 'owl');
    expect(sha1(input).toString('hex')).toBe(createHash('sha1').update(input).digest('hex'));
  });

  it("computes RFC 6455's own handshake example", () => {
    expect(acceptFor('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});
