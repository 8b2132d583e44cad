import { createHash } from 'node:crypto';

/** Content-defined chunk sizes: an insertion moves the cut points near it only. */
export interface ChunkSizes {
  min: number;
  avg: number;
  max: number;
}

export const DEFAULT_CHUNK_SIZES: Readonly<ChunkSizes> = Object.freeze({ min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 });

// The gear table: 256 fixed pseudo-random 32-bit words. Derived from sha256 so every client and
// daemon cuts the same file at the same places (the table is part of the format).
const GEAR = buildGearTable();

function buildGearTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index += 1) {
    table[index] = createHash('sha256').update(`owl-roost-gear-${index}`).digest().readUInt32BE(0);
  }
  return table;
}

/** A mask of `bits` one-bits at the top of a 32-bit word: the gear hash mixes the most bytes into its high bits. */
function topBitsMask(bits: number): number {
  return (0xffffffff << (32 - bits)) >>> 0;
}

interface Masks {
  /** Harder to match, used before the average size (normalized chunking, FastCDC). */
  strict: number;
  /** Easier to match, used after it, so sizes cluster around the average. */
  loose: number;
}

function masksFor(avg: number): Masks {
  const bits = Math.round(Math.log2(avg));
  return { strict: topBitsMask(bits + 2), loose: topBitsMask(bits - 2) };
}

/**
 * Where the chunk that starts at `start` ends (exclusive), FastCDC style: no cut before
 * `min`, the strict mask up to `avg`, the loose mask up to `max`, a forced cut at `max`.
 * Callers pass at least `max` bytes unless the data ends at `end`.
 */
export function findCut(data: Uint8Array, start: number, end: number, sizes: ChunkSizes): number {
  const available = end - start;
  // A tail no longer than `min` is one chunk (at the end of the data) or waits for more bytes.
  if (available <= sizes.min) return end;
  const masks = masksFor(sizes.avg);
  const normalEnd = start + Math.min(sizes.avg, available);
  const hardEnd = start + Math.min(sizes.max, available);
  let hash = 0;
  let index = start + sizes.min;
  for (; index < normalEnd; index += 1) {
    hash = ((hash << 1) + (GEAR[data[index] as number] as number)) >>> 0;
    if ((hash & masks.strict) === 0) return index + 1;
  }
  for (; index < hardEnd; index += 1) {
    hash = ((hash << 1) + (GEAR[data[index] as number] as number)) >>> 0;
    if ((hash & masks.loose) === 0) return index + 1;
  }
  return hardEnd;
}

export interface Chunk {
  hash: string;
  size: number;
  data: Buffer;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Cuts a stream of buffers into content-defined chunks with their sha256. Holds at most one
 * `max` of carried bytes plus one incoming buffer, so a file of any size streams through.
 */
export async function* chunkStream(source: AsyncIterable<Uint8Array>, sizes: ChunkSizes = DEFAULT_CHUNK_SIZES): AsyncGenerator<Chunk> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const piece of source) {
    pending = pending.length === 0 ? Buffer.from(piece) : Buffer.concat([pending, piece]);
    let offset = 0;
    // Cut only while a full `max` is buffered: a cut found in less could move once more bytes arrive.
    while (pending.length - offset >= sizes.max) {
      const cut = findCut(pending, offset, pending.length, sizes);
      yield makeChunk(pending.subarray(offset, cut));
      offset = cut;
    }
    pending = pending.subarray(offset);
  }
  let offset = 0;
  while (offset < pending.length) {
    const cut = findCut(pending, offset, pending.length, sizes);
    yield makeChunk(pending.subarray(offset, cut));
    offset = cut;
  }
}

function makeChunk(slice: Buffer): Chunk {
  // A copy: the slice's backing buffer is reused for the next cuts.
  const data = Buffer.from(slice);
  return { hash: sha256Hex(data), size: data.length, data };
}
