import { open, stat, type FileHandle } from 'node:fs/promises';
import type { OwlEvent } from '@owl/rpc/contract';
import { rotateAuditFiles } from './audit-files.ts';
import { sealRecord, type AuditRecord, type ChainTail, type UnsealedRecord } from './audit-record.ts';
import { canonicalJson } from './canonical-json.ts';
import { recoverAuditTail, type TailRepair } from './recover-tail.ts';

export interface AuditLogOptions {
  /** audit.log; rotated generations sit next to it as audit.log.1, .2 ... */
  file: string;
  /** Rotate before a write would take the file past this size (default 10 MiB). */
  maxBytes?: number;
  /** Rotated files kept (default 5). */
  keep?: number;
  /** Events waiting for the disk before the oldest are dropped (default 10,000). */
  maxQueue?: number;
  /** A write or rotation failed; the daemon logs it and supervision goes on (the records are retried). */
  onError?(error: unknown): void;
  /** The first write after failures landed. */
  onRecovered?(): void;
}

export const AUDIT_DEFAULTS = Object.freeze({ maxBytes: 10 * 1024 * 1024, keep: 5, maxQueue: 10_000 });

type ResolvedOptions = Required<Omit<AuditLogOptions, 'onError' | 'onRecovered'>> & Pick<AuditLogOptions, 'onError' | 'onRecovered'>;

const RETRY_INITIAL_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** A write that failed part-way: the records not on disk go back to the queue. */
class PartialWrite extends Error {
  constructor(readonly unwritten: UnsealedRecord[], readonly reason: unknown) {
    super(String(reason));
  }
}

/**
 * The hash-chained, append-only audit.log. `append` only queues (supervision never waits on
 * the disk); one writer drains the queue in order, seals each record onto the chain and
 * rotates by size. Hashes are computed at write time, so dropped events leave an
 * `audit_overflow` record in the chain rather than a gap.
 */
export class AuditLog {
  readonly #options: ResolvedOptions;
  #handle: FileHandle | undefined;
  #size = 0;
  /** Inode of the open file: a file replaced behind our back is noticed and reopened. */
  #ino = 0;
  #tail: ChainTail;
  #queue: OwlEvent[] = [];
  #dropped = 0;
  #drainScheduled = false;
  /** Every write, rotation and exclusive read runs on this chain, one at a time. */
  #writing: Promise<void> = Promise.resolve();
  #closed = false;
  // Disk faults: records that could not be written wait here (in order) for the retry.
  #retry: UnsealedRecord[] = [];
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelayMs = RETRY_INITIAL_MS;
  #failure: { error: string; since: string } | undefined;
  // Bytes of failed appends cut off the file since the failure began.
  #cutBytes = 0;
  // A failed write left bytes past #size that could not be cut yet.
  #tornTail = false;

  private constructor(options: ResolvedOptions, tail: ChainTail) {
    this.#options = options;
    this.#tail = tail;
  }

  /** Opens audit.log, continuing the chain from its last whole record. */
  static async open(options: AuditLogOptions): Promise<{ audit: AuditLog; repair?: TailRepair }> {
    const resolved = { ...AUDIT_DEFAULTS, ...options };
    const { tail, repair } = await recoverAuditTail(resolved.file);
    const audit = new AuditLog(resolved, tail);
    await audit.#reopen();
    return repair ? { audit, repair } : { audit };
  }

  /** The active file (audit.log). */
  get file(): string {
    return this.#options.file;
  }

  /** The last record written (after a `flush`, everything appended so far). */
  get tail(): ChainTail {
    return { ...this.#tail };
  }

  /** Queues one event; never waits and never throws. */
  append(event: OwlEvent): void {
    if (this.#closed) return;
    if (this.#queue.length >= this.#options.maxQueue) {
      this.#queue.shift();
      this.#dropped += 1;
    }
    this.#queue.push(event);
    // While the disk fails, the retry timer drains: no write attempt per event.
    if (this.#failure === undefined) this.#scheduleDrain();
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    this.#writing = this.#writing.then(() => this.#drain());
  }

  /** Resolves once everything appended before the call is on disk. */
  flush(): Promise<void> {
    return this.#writing;
  }

  /** Runs `work` with writes held back (they queue meanwhile): a consistent view for readers. */
  exclusive<T>(work: (tail: ChainTail) => Promise<T>): Promise<T> {
    const run = this.#writing.then(() => work(this.tail));
    this.#writing = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    await this.#writing;
    await this.#handle?.close();
    this.#handle = undefined;
  }

  async #drain(): Promise<void> {
    this.#drainScheduled = false;
    const events = this.#queue;
    this.#queue = [];
    const records: UnsealedRecord[] = [...this.#retry];
    this.#retry = [];
    if (this.#dropped > 0) {
      records.push(this.#overflowRecord(this.#dropped));
      this.#dropped = 0;
    }
    for (const event of events) records.push(this.#recordOf(event));
    try {
      await this.#reopenIfReplaced();
      await this.#cutTornTail();
      if (this.#failure) records.unshift(this.#recoveryRecord(this.#failure, this.#cutBytes));
      await this.#writeRecords(records);
      this.#recovered();
    } catch (error) {
      this.#failed(error instanceof PartialWrite ? error : new PartialWrite(records, error));
    }
  }

  /**
   * Seals and writes the records in order, rotating by size. On a failure the chain's tail goes
   * back to the last record on disk and the rest are handed back, unsealed, for the retry.
   */
  async #writeRecords(records: UnsealedRecord[]): Promise<void> {
    let pending: string[] = [];
    let pendingBytes = 0;
    let written = 0;
    let tailOnDisk = this.tail;
    let tailOfPending = this.tail;
    const flush = async (): Promise<void> => {
      await this.#write(pending.join(''), pendingBytes);
      written += pending.length;
      tailOnDisk = tailOfPending;
      pending = [];
      pendingBytes = 0;
    };
    try {
      for (const unsealedRecord of records) {
        const line = `${canonicalJson(this.#chain(unsealedRecord))}\n`;
        const bytes = Buffer.byteLength(line);
        if (this.#size + pendingBytes > 0 && this.#size + pendingBytes + bytes > this.#options.maxBytes) {
          await flush();
          await this.#rotate();
        }
        pending.push(line);
        pendingBytes += bytes;
        tailOfPending = this.tail;
      }
      if (pending.length > 0) await flush();
    } catch (error) {
      this.#tail = tailOnDisk;
      throw new PartialWrite(records.slice(written), error);
    }
  }

  /** Remembers the failure, keeps the unwritten records (bounded) and arms the retry. */
  #failed(failure: PartialWrite): void {
    const reason = failure.reason as NodeJS.ErrnoException;
    this.#retry = [...failure.unwritten.filter((record) => record.type !== 'audit_write_failed'), ...this.#retry];
    const excess = this.#retry.length - this.#options.maxQueue;
    if (excess > 0) {
      this.#retry.splice(0, excess);
      this.#dropped += excess;
    }
    this.#failure ??= { error: `${reason?.code ?? 'error'} (${reason?.message ?? String(reason)})`, since: new Date().toISOString() };
    this.#options.onError?.(reason);
    if (this.#closed) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#scheduleDrain();
    }, this.#retryDelayMs).unref();
    this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, RETRY_MAX_MS);
  }

  #recovered(): void {
    if (this.#failure === undefined) return;
    this.#failure = undefined;
    this.#cutBytes = 0;
    this.#retryDelayMs = RETRY_INITIAL_MS;
    this.#options.onRecovered?.();
  }

  /** Cuts what a failed append left past the last whole record (when cutting failed at the time). */
  async #cutTornTail(): Promise<void> {
    if (!this.#tornTail || !this.#handle) return;
    const size = (await this.#handle.stat()).size;
    if (size > this.#size) {
      await this.#handle.truncate(this.#size);
      this.#cutBytes += size - this.#size;
    }
    this.#tornTail = false;
  }

  /** Said in the chain itself: records were held back (and a torn tail cut) while the disk failed. */
  #recoveryRecord(failure: { error: string; since: string }, cutBytes: number): UnsealedRecord {
    const message = `audit.log could not be written since ${failure.since} (${failure.error}); held-back records follow${cutBytes > 0 ? `; a torn tail of ${cutBytes} bytes left by the failed writes was cut` : ''}`;
    return { seq: 0, at: new Date().toISOString(), type: 'audit_write_failed', data: { ...failure, cutBytes, message }, prevHash: '' };
  }

  /** Seals the record onto the chain: the next seq, linked to the previous hash. */
  #chain(record: UnsealedRecord): AuditRecord {
    const sealed = sealRecord({ ...record, seq: this.#tail.seq + 1, prevHash: this.#tail.hash });
    this.#tail = { seq: sealed.seq, hash: sealed.hash };
    return sealed;
  }

  async #write(text: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    if (!this.#handle) await this.#reopen();
    const handle = this.#handle as FileHandle;
    try {
      // appendFile loops until every byte is written; a bare write may stop short.
      await handle.appendFile(text);
    } catch (error) {
      // A full disk may take part of the text: cut it now, so no torn record stays in the chain.
      const cut = await handle
        .stat()
        .then(async ({ size }) => {
          if (size > this.#size) await handle.truncate(this.#size);
          return Math.max(0, size - this.#size);
        })
        .catch(() => {
          this.#tornTail = true;
          return 0;
        });
      this.#cutBytes += cut;
      throw error;
    }
    this.#size += bytes;
  }

  async #rotate(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
    try {
      await rotateAuditFiles(this.#options.file, this.#options.keep);
    } finally {
      // Even when a rename failed, keep a handle so later records still reach the disk.
      await this.#reopen();
    }
  }

  async #reopen(): Promise<void> {
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
    const handle = await open(this.#options.file, 'a', 0o600);
    const stats = await handle.stat();
    this.#handle = handle;
    this.#size = stats.size;
    this.#ino = stats.ino;
  }

  /** audit.log deleted or replaced (an editor writes a new file): write to the file at the path again. */
  async #reopenIfReplaced(): Promise<void> {
    const current = await stat(this.#options.file).catch(() => undefined);
    if (!this.#handle || current?.ino !== this.#ino) await this.#reopen();
  }

  #recordOf(event: OwlEvent): UnsealedRecord {
    const record: UnsealedRecord = { seq: 0, at: event.at, type: event.type, data: event.data, prevHash: '' };
    if (event.app !== undefined) record.app = event.app;
    if (event.instance !== undefined) record.instance = event.instance;
    return record;
  }

  #overflowRecord(dropped: number): UnsealedRecord {
    return { seq: 0, at: new Date().toISOString(), type: 'audit_overflow', data: { dropped }, prevHash: '' };
  }
}
