/** A tailer the sweep looks at: a cheap, synchronous check that wakes it when its file needs a read. */
export interface SweptTailer {
  sweep(): void;
}

/**
 * One timer for every idle log file whose changes are watched, instead of a timer each: the
 * watch (inotify, kqueue) wakes a tailer on a write, and this sweep is the safety net for an
 * event that never came (a queue overflow, a file replaced under its name). Each look is two
 * synchronous stat calls, not a read through the thread pool: with 100 idle apps (200 files)
 * the per-file polls were two thirds of an idle daemon's CPU.
 */
export class IdleSweep {
  readonly #intervalMs: number;
  readonly #parked = new Set<SweptTailer>();
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Tailers parked now (for tests and diagnostics). */
  get size(): number {
    return this.#parked.size;
  }

  park(tailer: SweptTailer): void {
    this.#parked.add(tailer);
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#sweep(), this.#intervalMs);
    this.#timer.unref();
  }

  unpark(tailer: SweptTailer): void {
    if (!this.#parked.delete(tailer) || this.#parked.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sweep(): void {
    // A copy: a tailer that needs a read unparks itself during the loop.
    for (const tailer of [...this.#parked]) tailer.sweep();
  }
}
