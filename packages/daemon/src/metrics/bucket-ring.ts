/** One averaged bucket read back from a ring. */
export interface BucketPoint {
  /** Start of the bucket, epoch milliseconds (a multiple of the resolution). */
  at: number;
  /** Average of each field over the samples that fell into the bucket. */
  values: number[];
}

/** A ring's memory as it is, to be saved and put back (copies from exportState, the ring's own arrays from liveState). */
export interface BucketRingState {
  resolutionMs: number;
  capacity: number;
  fields: number;
  newest: number;
  size: number;
  starts: Float64Array;
  averages: Float64Array;
  counts: Uint32Array;
}

/** Buckets a ring allocates before its first sample; it doubles from there up to its capacity. */
const FIRST_ALLOCATION = 8;

/**
 * A bounded ring of time buckets of equal width: every sample is averaged into the bucket its
 * time falls in, and the oldest bucket is overwritten once the ring is full. Memory grows with
 * what was written (typed arrays doubling up to the capacity, never past it), so a daemon that
 * just started, or an app that ran for ten minutes, holds ten minutes of buckets, not a week.
 *
 * @example
 * const ring = new BucketRing({ resolutionMs: 5_000, capacity: 720, fields: 2 });
 * ring.add(Date.now(), [cpu, memory]);
 * const lastHour = ring.points(Date.now() - 3_600_000);
 */
export class BucketRing {
  readonly resolutionMs: number;
  readonly capacity: number;
  readonly #fields: number;
  #starts: Float64Array;
  #averages: Float64Array;
  #counts: Uint32Array;
  #newest = -1;
  #size = 0;

  constructor(options: { resolutionMs: number; capacity: number; fields: number }) {
    this.resolutionMs = options.resolutionMs;
    this.capacity = options.capacity;
    this.#fields = options.fields;
    this.#starts = new Float64Array(0);
    this.#averages = new Float64Array(0);
    this.#counts = new Uint32Array(0);
  }

  /** Buckets the ring holds memory for (grows with the samples, up to the capacity). */
  get allocatedBuckets(): number {
    return this.#starts.length;
  }

  add(atMs: number, values: readonly number[]): void {
    const start = Math.floor(atMs / this.resolutionMs) * this.resolutionMs;
    // A sample older than the newest bucket (the wall clock stepped back) joins the newest
    // bucket instead of rewriting history.
    if (this.#size > 0 && start <= (this.#starts[this.#newest] as number)) {
      this.#accumulate(this.#newest, values);
      return;
    }
    // Until the ring is full, buckets fill slots 0, 1, 2... in order: growing keeps every index.
    if (this.#size === this.#starts.length && this.#size < this.capacity) this.#grow(this.#size + 1);
    this.#newest = (this.#newest + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
    this.#starts[this.#newest] = start;
    this.#counts[this.#newest] = 0;
    this.#accumulate(this.#newest, values);
  }

  /**
   * The ring's own arrays, not copies, as far as they are allocated (up to the capacity): for a
   * writer that is done with them before the ring next changes. Slots past their length are zero.
   */
  liveState(): BucketRingState {
    const { resolutionMs, capacity } = this;
    return { resolutionMs, capacity, fields: this.#fields, newest: this.#newest, size: this.#size, starts: this.#starts, averages: this.#averages, counts: this.#counts };
  }

  /** Copies of the ring's memory, at the full capacity (the saved layout does not depend on how far it grew). */
  exportState(): BucketRingState {
    const { resolutionMs, capacity } = this;
    const { starts, averages, counts } = this.#copied(capacity);
    return { resolutionMs, capacity, fields: this.#fields, newest: this.#newest, size: this.#size, starts, averages, counts };
  }

  /** Puts a saved state back; false (and nothing changed) when it was saved with another shape. */
  importState(state: BucketRingState): boolean {
    const shaped =
      state.resolutionMs === this.resolutionMs &&
      state.capacity === this.capacity &&
      state.fields === this.#fields &&
      state.starts.length === this.capacity &&
      state.averages.length === this.capacity * this.#fields &&
      state.counts.length === this.capacity &&
      Number.isInteger(state.size) &&
      state.size >= 0 &&
      state.size <= this.capacity &&
      Number.isInteger(state.newest) &&
      state.newest >= (state.size === 0 ? -1 : 0) &&
      state.newest < this.capacity;
    if (!shaped) return false;
    // A ring that never wrapped needs only its first `size` slots; a wrapped one all of them.
    const used = state.newest === state.size - 1 ? state.size : this.capacity;
    const length = allocationFor(used, this.capacity);
    this.#starts = state.starts.slice(0, length);
    this.#averages = state.averages.slice(0, length * this.#fields);
    this.#counts = state.counts.slice(0, length);
    this.#newest = state.newest;
    this.#size = state.size;
    return true;
  }

  /** Buckets that end after `fromMs`, oldest first. */
  points(fromMs: number): BucketPoint[] {
    const points: BucketPoint[] = [];
    for (let age = this.#size - 1; age >= 0; age -= 1) {
      const slot = (this.#newest - age + this.capacity) % this.capacity;
      const at = this.#starts[slot] as number;
      if (at + this.resolutionMs <= fromMs) continue;
      points.push({ at, values: Array.from(this.#averages.subarray(slot * this.#fields, (slot + 1) * this.#fields)) });
    }
    return points;
  }

  #grow(needed: number): void {
    const { starts, averages, counts } = this.#copied(allocationFor(needed, this.capacity));
    this.#starts = starts;
    this.#averages = averages;
    this.#counts = counts;
  }

  /** The ring's arrays copied into new ones of `length` buckets (zeros past what is held). */
  #copied(length: number): { starts: Float64Array; averages: Float64Array; counts: Uint32Array } {
    const starts = new Float64Array(length);
    const averages = new Float64Array(length * this.#fields);
    const counts = new Uint32Array(length);
    starts.set(this.#starts);
    averages.set(this.#averages);
    counts.set(this.#counts);
    return { starts, averages, counts };
  }

  // Running mean: no sum that grows with the sample count, no second pass.
  #accumulate(slot: number, values: readonly number[]): void {
    const count = (this.#counts[slot] as number) + 1;
    this.#counts[slot] = count;
    for (let field = 0; field < this.#fields; field += 1) {
      const index = slot * this.#fields + field;
      const previous = count === 1 ? 0 : (this.#averages[index] as number);
      this.#averages[index] = previous + ((values[field] ?? 0) - previous) / count;
    }
  }
}

/** Doubling from FIRST_ALLOCATION until `needed` fits, never past the capacity; 0 for nothing. */
function allocationFor(needed: number, capacity: number): number {
  if (needed <= 0) return 0;
  let length = Math.min(FIRST_ALLOCATION, capacity);
  while (length < needed) length = Math.min(length * 2, capacity);
  return length;
}
