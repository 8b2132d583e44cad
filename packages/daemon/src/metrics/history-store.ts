import { writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setImmediate } from 'node:timers/promises';
import { writeFileAtomic } from '../state/atomic-write.ts';
import type { BucketRingState } from './bucket-ring.ts';

const MAGIC = 0x4f574c48; // "OWLH"
const VERSION = 1;
const RING_HEADER_BYTES = 8 + 4 * 4;
/** Padding is written from one zero buffer of this size, reused for every ring of a save. */
const ZERO_CHUNK_BYTES = 16 * 1024;

/** Series name ("host", or "<app>#<instance>") -> its tiers. */
export type SavedHistory = Map<string, BucketRingState[]>;

/** What is saved of one series: its tiers as they are now, read when their turn to be written comes. */
export interface HistorySource {
  /** The rings' own arrays (BucketRing.liveState): shorter than the capacity where a ring has not grown to it. */
  liveState(): readonly BucketRingState[];
}

/**
 * Writes every series' rings as they are in memory (little-endian, fixed layout), atomically:
 * a binary copy of typed arrays costs far less than JSON for a week of 5 s/1 min/10 min buckets.
 * Each series is written straight from the rings' own arrays, synchronously so no sample lands
 * in the middle of it, then the loop gets a turn before the next: a save allocates no copies
 * (copying a full week of 100 instances took ~18 MB at every save, and malloc kept the heap it
 * grew to). Slots a ring has not grown to yet are written as zeros. Layout: magic u32, version
 * u32, series u32; per series: name length u16, name (UTF-8), ring count u8; per ring:
 * resolutionMs f64, capacity u32, fields u32, newest i32, size u32, starts f64[capacity],
 * averages f64[capacity * fields], counts u32[capacity].
 */
export async function saveHistory(file: string, series: ReadonlyMap<string, HistorySource>): Promise<void> {
  // The sources as of now: the map may change while the file is written, the count may not.
  const sources = [...series];
  const zeros = Buffer.alloc(ZERO_CHUNK_BYTES);
  await writeFileAtomic(file, async (handle) => {
    writeAllSync(handle.fd, [header(sources.length)]);
    for (const [name, source] of sources) {
      writeAllSync(handle.fd, seriesParts(name, source.liveState(), zeros));
      await setImmediate();
    }
  });
}

/** Reads a saved history; null when there is none. Throws with the reason when it is unreadable. */
export async function loadHistory(file: string): Promise<SavedHistory | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return decodeHistory(bytes);
}

export function encodeHistory(series: ReadonlyMap<string, HistorySource>): Buffer {
  const zeros = Buffer.alloc(ZERO_CHUNK_BYTES);
  return Buffer.concat([header(series.size), ...[...series].flatMap(([name, source]) => seriesParts(name, source.liveState(), zeros))]);
}

/** One series' bytes as views: its intro, and per ring its head, its arrays and the zeros that pad them to the capacity. */
function seriesParts(name: string, rings: readonly BucketRingState[], zeros: Buffer): Uint8Array[] {
  const label = Buffer.from(name, 'utf8');
  const intro = Buffer.alloc(2 + label.length + 1);
  intro.writeUInt16LE(label.length, 0);
  label.copy(intro, 2);
  intro.writeUInt8(rings.length, 2 + label.length);
  return [intro, ...rings.flatMap((ring) => ringParts(ring, zeros))];
}

function ringParts(ring: BucketRingState, zeros: Buffer): Uint8Array[] {
  const head = Buffer.alloc(RING_HEADER_BYTES);
  head.writeDoubleLE(ring.resolutionMs, 0);
  head.writeUInt32LE(ring.capacity, 8);
  head.writeUInt32LE(ring.fields, 12);
  head.writeInt32LE(ring.newest, 16);
  head.writeUInt32LE(ring.size, 20);
  return [
    head,
    ...padded(ring.starts, ring.capacity, zeros),
    ...padded(ring.averages, ring.capacity * ring.fields, zeros),
    ...padded(ring.counts, ring.capacity, zeros),
  ];
}

/** The array's bytes, then zeros up to `length` elements. */
function padded(array: Float64Array | Uint32Array, length: number, zeros: Buffer): Uint8Array[] {
  const parts: Uint8Array[] = [bytesOf(array)];
  for (let missing = (length - array.length) * array.BYTES_PER_ELEMENT; missing > 0; missing -= zeros.length) {
    parts.push(zeros.subarray(0, Math.min(missing, zeros.length)));
  }
  return parts;
}

function writeAllSync(fd: number, parts: readonly Uint8Array[]): void {
  for (const part of parts) {
    for (let offset = 0; offset < part.byteLength; ) offset += writeSync(fd, part, offset, part.byteLength - offset);
  }
}

export function decodeHistory(bytes: Buffer): SavedHistory {
  const reader = new Reader(bytes);
  if (reader.u32() !== MAGIC) throw new Error('not an owl metrics history file');
  const version = reader.u32();
  if (version !== VERSION) throw new Error(`metrics history version ${version} is not supported (expected ${VERSION})`);
  const count = reader.u32();
  const history: SavedHistory = new Map();
  for (let index = 0; index < count; index += 1) {
    const name = reader.text(reader.u16());
    const rings: BucketRingState[] = [];
    for (let ringCount = reader.u8(); rings.length < ringCount; ) rings.push(decodeRing(reader));
    history.set(name, rings);
  }
  if (!reader.done()) throw new Error(`metrics history has ${bytes.length - reader.offset} bytes after its last series`);
  return history;
}

function header(seriesCount: number): Buffer {
  const buffer = Buffer.alloc(12);
  buffer.writeUInt32LE(MAGIC, 0);
  buffer.writeUInt32LE(VERSION, 4);
  buffer.writeUInt32LE(seriesCount, 8);
  return buffer;
}

function decodeRing(reader: Reader): BucketRingState {
  const resolutionMs = reader.f64();
  const capacity = reader.u32();
  const fields = reader.u32();
  const newest = reader.i32();
  const size = reader.u32();
  const starts = new Float64Array(reader.copy(capacity * 8));
  const averages = new Float64Array(reader.copy(capacity * fields * 8));
  const counts = new Uint32Array(reader.copy(capacity * 4));
  return { resolutionMs, capacity, fields, newest, size, starts, averages, counts };
}

// Typed arrays are in the machine's byte order: every platform owl runs on is little-endian.
function bytesOf(array: Float64Array | Uint32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

class Reader {
  offset = 0;
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  done(): boolean {
    return this.offset === this.#bytes.length;
  }

  u8(): number {
    return this.#take(1, (at) => this.#bytes.readUInt8(at));
  }

  u16(): number {
    return this.#take(2, (at) => this.#bytes.readUInt16LE(at));
  }

  u32(): number {
    return this.#take(4, (at) => this.#bytes.readUInt32LE(at));
  }

  i32(): number {
    return this.#take(4, (at) => this.#bytes.readInt32LE(at));
  }

  f64(): number {
    return this.#take(8, (at) => this.#bytes.readDoubleLE(at));
  }

  text(length: number): string {
    return this.#take(length, (at) => this.#bytes.toString('utf8', at, at + length));
  }

  /** A copy in a fresh, aligned ArrayBuffer (a typed array cannot view an odd offset). */
  copy(length: number): ArrayBuffer {
    return this.#take(length, (at) => this.#bytes.buffer.slice(this.#bytes.byteOffset + at, this.#bytes.byteOffset + at + length) as ArrayBuffer);
  }

  #take<T>(length: number, read: (at: number) => T): T {
    if (this.offset + length > this.#bytes.length) throw new Error(`metrics history is truncated at byte ${this.offset}`);
    const value = read(this.offset);
    this.offset += length;
    return value;
  }
}
