/** One averaged bucket read back from a ring. */
export interface BucketPoint {
  /** Start of the bucket, epoch milliseconds (a multiple of the resolution). */
  at: number;
  /** Average of each field over the samples that fell into the bucket. */
  values: number[];
}

/** A ring's memory as it is, to be saved and put back (typed arrays are copies). */
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

/**
 * A fixed-size ring of time buckets of equal width: every sample is averaged into the bucket
 * its time falls in, and the oldest bucket is overwritten once the ring is full. Memory is
 * allocated once (typed arrays), so a week of history costs the same on day one and day seven.
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
  readonly #starts: Float64Array;
  readonly #averages: Float64Array;
  readonly #counts: Uint32Array;
  #newest = -1;
  #size = 0;

  constructor(options: { resolutionMs: number; capacity: number; fields: number }) {
    this.resolutionMs = options.resolutionMs;
    this.capacity = options.capacity;
    this.#fields = options.fields;
    this.#starts = new Float64Array(options.capacity);
    this.#averages = new Float64Array(options.capacity * options.fields);
    this.#counts = new Uint32Array(options.capacity);
  }

  add(atMs: number, values: readonly number[]): void {
    const start = Math.floor(atMs / this.resolutionMs) * this.resolutionMs;
    // A sample older than the newest bucket (the wall clock stepped back) joins the newest
    // bucket instead of rewriting history.
    if (this.#size > 0 && start <= (this.#starts[this.#newest] as number)) {
      this.#accumulate(this.#newest, values);
      return;
    }
    this.#newest = (this.#newest + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
    this.#starts[this.#newest] = start;
    this.#counts[this.#newest] = 0;
    this.#accumulate(this.#newest, values);
  }

  exportState(): BucketRingState {
    const { resolutionMs, capacity } = this;
    return { resolutionMs, capacity, fields: this.#fields, newest: this.#newest, size: this.#size, starts: this.#starts.slice(), averages: this.#averages.slice(), counts: this.#counts.slice() };
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
    this.#starts.set(state.starts);
    this.#averages.set(state.averages);
    this.#counts.set(state.counts);
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
