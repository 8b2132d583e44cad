import { RING_ENTRY_OVERHEAD_BYTES } from './log-limits.ts';

/** One line held in memory: a daemon-wide sequence number (for interleaving) and read time. */
export interface RingEntry {
  readonly seq: number;
  /** Epoch milliseconds when the daemon read the line. */
  readonly at: number;
  readonly line: string;
}

/**
 * The most recent lines of one stream, bounded by a line count and by approximate bytes
 * (text plus a fixed per-entry overhead, so floods of tiny lines are bounded too). Oldest
 * entries are evicted first; slots are allocated as lines arrive.
 *
 * @example
 * const ring = new LogRing({ maxLines: 1000, maxBytes: 256 * 1024 });
 * ring.push({ seq: 1, at: Date.now(), line: 'hello' });
 * ring.last(10); // [{ seq: 1, ... }]
 */
export class LogRing {
  readonly #maxLines: number;
  readonly #maxBytes: number;
  readonly #slots: Array<RingEntry | undefined>;
  #head = 0;
  #count = 0;
  #bytes = 0;

  constructor(limits: { maxLines: number; maxBytes: number }) {
    this.#maxLines = Math.max(1, limits.maxLines);
    this.#maxBytes = Math.max(1, limits.maxBytes);
    // Grown by the writes (slots fill 0, 1, 2... until the first wrap): an app that printed ten
    // lines holds ten slots, not maxLines.
    this.#slots = [];
  }

  /** Slots the ring holds memory for: what was written, up to maxLines. */
  get allocatedSlots(): number {
    return this.#slots.length;
  }

  get length(): number {
    return this.#count;
  }

  /** Approximate memory charged for the entries held. */
  get bytes(): number {
    return this.#bytes;
  }

  push(entry: RingEntry): void {
    const cost = costOf(entry);
    while (this.#count > 0 && (this.#count >= this.#maxLines || this.#bytes + cost > this.#maxBytes)) this.#evictOldest();
    const index = (this.#head + this.#count) % this.#maxLines;
    this.#slots[index] = entry;
    this.#count += 1;
    this.#bytes += cost;
  }

  /**
   * For lines newer than every entry held, asked newest first with each line's length in
   * bytes: false once that line can no longer be among those the ring keeps after all are
   * pushed. Each line is charged at most what it will cost (UTF-8 decodes to at least a third
   * as many UTF-16 units, less a stripped carriage return), so every line the ring would keep
   * is admitted and pushing only the admitted ones leaves the ring as pushing all would.
   */
  admitsNewest(): (lineBytes: number) => boolean {
    let lines = 0;
    let cost = 0;
    return (lineBytes) => {
      lines += 1;
      cost += Math.max(0, lineBytes - 1) / 3 + RING_ENTRY_OVERHEAD_BYTES;
      // The newest entry is always kept, whatever it costs.
      return lines === 1 || (lines <= this.#maxLines && cost <= this.#maxBytes);
    };
  }

  /** The newest `limit` entries, oldest first. */
  last(limit: number): RingEntry[] {
    const take = Math.min(Math.max(0, limit), this.#count);
    const entries: RingEntry[] = [];
    for (let offset = this.#count - take; offset < this.#count; offset += 1) {
      const entry = this.#slots[(this.#head + offset) % this.#maxLines];
      if (entry) entries.push(entry);
    }
    return entries;
  }

  #evictOldest(): void {
    const entry = this.#slots[this.#head];
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#maxLines;
    this.#count -= 1;
    if (entry) this.#bytes -= costOf(entry);
  }
}

function costOf(entry: RingEntry): number {
  return entry.line.length + RING_ENTRY_OVERHEAD_BYTES;
}
