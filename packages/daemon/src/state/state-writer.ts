import { link, rename, rm } from 'node:fs/promises';
import { OwlError } from '@owl/rpc';
import { writeFileAtomic } from './atomic-write.ts';

export interface StateWriterOptions<T> {
  file: string;
  prevFile: string;
  /** The file already on disk was read back as good: it may become `.prev`. */
  hasCurrent: boolean;
  serialize(value: T): string;
  /** A write failed (it is retried) or the first write after failures landed. */
  onHealth?(health: WriteHealth): void;
  /** Awaited before each write: what must reach the disk first (the launch journal's appends). */
  before?(): Promise<void>;
}

export interface WriteHealth {
  /** False while the newest state could not be written. */
  ok: boolean;
  /** errno code and message of the last failure. */
  error: string | null;
  /** When the writes started failing (ISO time), null while they land. */
  failingSince: string | null;
}

interface Waiter {
  generation: number;
  resolve(): void;
  reject(error: Error): void;
}

const RETRY_INITIAL_MS = 100;
const RETRY_MAX_MS = 5_000;

/**
 * Persists state atomically, one write at a time, always the newest value (requests made while
 * a write is in flight coalesce). `save` resolves only once that value (or a newer one) is on
 * disk and rejects with OWL_STATE_WRITE_FAILED when the write failed. A failed write is never
 * dropped: the newest value stays pending and is retried with a capped backoff until it lands.
 * The generation being replaced becomes `.prev`.
 */
export class StateWriter<T> {
  readonly #options: StateWriterOptions<T>;
  #hasCurrent: boolean;
  #latest: T | undefined;
  /** A change handed over by `updateWith`, not taken yet. */
  #take: (() => T) | undefined;
  #requested = 0;
  #written = 0;
  #waiters: Waiter[] = [];
  #running: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelayMs = RETRY_INITIAL_MS;
  #health: WriteHealth = { ok: true, error: null, failingSince: null };
  #closed = false;
  #previousKept = false;
  #kickScheduled = false;

  constructor(options: StateWriterOptions<T>) {
    this.#options = options;
    this.#hasCurrent = options.hasCurrent;
  }

  get health(): WriteHealth {
    return { ...this.#health };
  }

  /** True while some state has not reached the disk yet. */
  get pending(): boolean {
    return this.#written < this.#requested;
  }

  /**
   * Hands the newest state over without waiting: written on the next turn of the event loop
   * (the updates of one turn make one write, and a relaunch the turn starts records its launch
   * first); while writes fail, at the next retry.
   */
  update(value: T): void {
    this.updateWith(() => value);
  }

  /**
   * Like `update`, with the state taken only when its write starts: every change handed over
   * until then (while a write is in flight, or in the same turn) costs one snapshot, not one each.
   */
  updateWith(take: () => T): void {
    this.#take = take;
    this.#requested += 1;
    if (this.#retryTimer !== undefined || this.#kickScheduled) return;
    this.#kickScheduled = true;
    setImmediate(() => {
      this.#kickScheduled = false;
      if (this.#retryTimer === undefined) this.#kick();
    });
  }

  /** Resolves once `value` (or a newer one) is durable; rejects with OWL_STATE_WRITE_FAILED when it could not be written. */
  save(value: T): Promise<void> {
    this.#take = undefined;
    this.#latest = value;
    this.#requested += 1;
    const promise = new Promise<void>((resolve, reject) => this.#waiters.push({ generation: this.#requested, resolve, reject }));
    this.#kick();
    return promise;
  }

  /** Waits for everything handed over so far (resolves at once when nothing is pending). */
  flush(): Promise<void> {
    if (!this.pending) return Promise.resolve();
    const latest = this.#current();
    return latest === undefined ? Promise.resolve() : this.save(latest);
  }

  /** The newest state, taken now if it was handed over lazily. */
  #current(): T | undefined {
    if (this.#take) {
      this.#latest = this.#take();
      this.#take = undefined;
    }
    return this.#latest;
  }

  /** No more retries (shutdown); a write in flight still completes. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #kick(): void {
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
      // A request that arrived after the loop's last check.
      if (this.pending && this.#retryTimer === undefined && !this.#closed) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (this.pending) {
      await this.#options.before?.();
      const generation = this.#requested;
      try {
        await this.#write(this.#current() as T);
      } catch (error) {
        this.#fail(generation, error as NodeJS.ErrnoException);
        return;
      }
      this.#succeed(generation);
    }
  }

  async #write(value: T): Promise<void> {
    // After a failed write the file on disk is unchanged and already kept as `.prev`.
    if (this.#hasCurrent && !this.#previousKept) this.#previousKept = await this.#keepPrevious();
    await writeFileAtomic(this.#options.file, this.#options.serialize(value));
    this.#hasCurrent = true;
    this.#previousKept = false;
  }

  #succeed(generation: number): void {
    this.#written = generation;
    this.#settle(generation, null);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#retryDelayMs = RETRY_INITIAL_MS;
    if (!this.#health.ok) {
      this.#health = { ok: true, error: null, failingSince: null };
      this.#options.onHealth?.(this.health);
    }
  }

  #fail(generation: number, error: NodeJS.ErrnoException): void {
    const detail = `${error.code ?? 'error'} (${error.message})`;
    const wasOk = this.#health.ok;
    this.#health = { ok: false, error: detail, failingSince: this.#health.failingSince ?? new Date().toISOString() };
    if (wasOk || this.#health.error !== detail) this.#options.onHealth?.(this.health);
    this.#settle(generation, new OwlError('OWL_STATE_WRITE_FAILED', `cannot save the new state to ${this.#options.file}: ${detail}; the change is in effect in the daemon, which retries the write until it lands`, { cause: error, data: { file: this.#options.file, errno: error.code ?? null } }));
    this.#scheduleRetry();
  }

  /** Settles the callers whose value this write carried (or would have carried). */
  #settle(generation: number, error: Error | null): void {
    const covered = this.#waiters.filter((waiter) => waiter.generation <= generation);
    this.#waiters = this.#waiters.filter((waiter) => waiter.generation > generation);
    for (const waiter of covered) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  #scheduleRetry(): void {
    if (this.#closed) return;
    clearTimeout(this.#retryTimer);
    // Callers still waiting deserve their own attempt now, not after the backoff.
    const delay = this.#waiters.length > 0 ? 0 : this.#retryDelayMs;
    this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, RETRY_MAX_MS);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#kick();
    }, delay);
    // The retry must run even when nothing else keeps the loop alive: a pending intent is not dropped.
  }

  /** The file on disk was written by us and is known good: hard-link it into place as `.prev`, atomically; false when that failed. */
  async #keepPrevious(): Promise<boolean> {
    const temp = `${this.#options.prevFile}.${process.pid}.tmp`;
    try {
      await rm(temp, { force: true });
      await link(this.#options.file, temp);
      await rename(temp, this.#options.prevFile);
      // rename() between two links of one file does nothing and leaves the temp name behind.
      await rm(temp, { force: true });
      return true;
    } catch {
      // No hard links here, or the home is not writable: keep the older .prev rather than risk a torn one.
      await rm(temp, { force: true }).catch(() => undefined);
      return false;
    }
  }
}
