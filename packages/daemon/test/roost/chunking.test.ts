import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkStream, DEFAULT_CHUNK_SIZES, sha256Hex } from '../../src/roost/chunking.ts';

async function chunksOf(data: Buffer, pieceSize: number = 1 << 20): Promise<Array<{ hash: string; size: number }>> {
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let offset = 0; offset < data.length; offset += pieceSize) yield data.subarray(offset, offset + pieceSize);
  }
  const chunks: Array<{ hash: string; size: number }> = [];
  for await (const chunk of chunkStream(pieces())) chunks.push({ hash: chunk.hash, size: chunk.size });
  return chunks;
}

/** Chunks of `after` whose hash `before` does not have: what a publish would upload. */
function changed(before: Array<{ hash: string }>, after: Array<{ hash: string }>): number {
  const known = new Set(before.map((chunk) => chunk.hash));
  return after.filter((chunk) => !known.has(chunk.hash)).length;
}

describe('content-defined chunking', () => {
  const original = randomBytes(16 * 1024 * 1024);

  it('cuts within min..max, covers every byte, and hashes each chunk with sha256', async () => {
    const chunks = await chunksOf(original);
    expect(chunks.reduce((sum, chunk) => sum + chunk.size, 0)).toBe(original.length);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.size).toBeGreaterThanOrEqual(DEFAULT_CHUNK_SIZES.min);
      expect(chunk.size).toBeLessThanOrEqual(DEFAULT_CHUNK_SIZES.max);
    }
    const average = original.length / chunks.length;
    // Normalized chunking keeps the mean near the target (64 KiB).
    expect(average).toBeGreaterThan(DEFAULT_CHUNK_SIZES.avg * 0.75);
    expect(average).toBeLessThan(DEFAULT_CHUNK_SIZES.avg * 1.5);
    expect(chunks[0]?.hash).toBe(sha256Hex(original.subarray(0, chunks[0]?.size)));
  });

  it('cuts the same places whatever the read size', async () => {
    expect(await chunksOf(original, 4096)).toEqual(await chunksOf(original, 3 << 20));
  });

  it('an insertion, a deletion or an overwrite in a 16 MiB file changes at most 2 chunks', async () => {
    const before = await chunksOf(original);
    const middle = 7 * 1024 * 1024 + 12345;
    const inserted = Buffer.concat([original.subarray(0, middle), Buffer.from('inserted line\n'), original.subarray(middle)]);
    const deleted = Buffer.concat([original.subarray(0, middle), original.subarray(middle + 100)]);
    const overwritten = Buffer.from(original);
    overwritten.write('x', middle);
    for (const edited of [inserted, deleted, overwritten]) {
      expect(changed(before, await chunksOf(edited))).toBeLessThanOrEqual(2);
    }
  });
});
