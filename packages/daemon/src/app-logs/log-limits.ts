/** Every bound the log service keeps, in one place. */
export interface LogLimits {
  /** Lines kept in memory per app, instance and stream. */
  readonly ringLines: number;
  /** Approximate bytes kept in memory per app, instance and stream (text + per-line overhead). */
  readonly ringBytes: number;
  /** A longer line is cut into pieces of this many bytes. */
  readonly maxLineBytes: number;
  /** One read call. */
  readonly readChunkBytes: number;
  /** Bytes read per pump before yielding to the event loop. */
  readonly readBudgetBytes: number;
  /** Poll interval right after output; doubles while a file is idle, up to pollMaxMs. */
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  /** While output flows and the tail has caught up: the wait before the next read (a batch per read, not a line). */
  readonly flowPollMs: number;
  /** The idle poll of a file whose changes are watched (a safety net for missed events). */
  readonly watchedPollMaxMs: number;
  /** How long rotation waits for the writers of a file to stop before it gives up and retries later. */
  readonly freezeTimeoutMs: number;
  /** After a failed rotation (writers could not be paused), wait this long before trying again. */
  readonly rotationRetryMs: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = Object.freeze({
  ringLines: 2_000,
  ringBytes: 256 * 1024,
  maxLineBytes: 16 * 1024,
  readChunkBytes: 1024 * 1024,
  readBudgetBytes: 1024 * 1024,
  pollMinMs: 50,
  pollMaxMs: 500,
  flowPollMs: 20,
  watchedPollMaxMs: 5_000,
  freezeTimeoutMs: 2_000,
  rotationRetryMs: 30_000,
});

/** What a ring entry is charged beyond its text: the object, the number and the string header. */
export const RING_ENTRY_OVERHEAD_BYTES = 64;
