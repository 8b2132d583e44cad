/** Consecutive ticks a tree must spend above maxMemory before it is restarted. */
export const MAX_MEMORY_TICKS = 2;

/** A tree that stayed above its maxMemory: reported to the supervisor, which restarts it. */
export interface MemoryBreach {
  pid: number;
  memory: number;
  limit: number;
}

interface OverLimit {
  pid: number;
  ticks: number;
}

/**
 * Decides when an app's tree has stayed above its maxMemory: MAX_MEMORY_TICKS consecutive
 * samples over the limit, for the same process (a relaunch starts the count over). One spike
 * between two ticks does not restart anything.
 *
 * @example
 * if (guard.exceeded(runner, pid, memory, spec.maxMemory)) runner.reportMemory({ pid, memory, limit });
 */
export class MemoryGuard<Key> {
  readonly #ticksAbove: number;
  readonly #over = new Map<Key, OverLimit>();

  constructor(ticksAbove: number = MAX_MEMORY_TICKS) {
    this.#ticksAbove = ticksAbove;
  }

  /** Records one sample; true when this sample completes the run over the limit (the count restarts). */
  exceeded(key: Key, pid: number, memory: number, limit: number | undefined): boolean {
    if (limit === undefined || memory <= limit) {
      this.#over.delete(key);
      return false;
    }
    const previous = this.#over.get(key);
    const ticks = previous?.pid === pid ? previous.ticks + 1 : 1;
    if (ticks >= this.#ticksAbove) {
      this.#over.delete(key);
      return true;
    }
    this.#over.set(key, { pid, ticks });
    return false;
  }

  /** Drops keys not sampled this tick (stopped, deleted), so a stale count never carries over. */
  keepOnly(keys: ReadonlySet<Key>): void {
    for (const key of this.#over.keys()) if (!keys.has(key)) this.#over.delete(key);
  }
}
