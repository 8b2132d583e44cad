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
  /** A write or rotation failed; the daemon logs it and supervision goes on. */
  onError?(error: unknown): void;
}

export const AUDIT_DEFAULTS = Object.freeze({ maxBytes: 10 * 1024 * 1024, keep: 5, maxQueue: 10_000 });

type ResolvedOptions = Required<Omit<AuditLogOptions, 'onError'>> & Pick<AuditLogOptions, 'onError'>;

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
    if (!this.#drainScheduled) {
      this.#drainScheduled = true;
      this.#writing = this.#writing.then(() => this.#drain());
    }
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
    await this.#writing;
    await this.#handle?.close();
    this.#handle = undefined;
  }

  async #drain(): Promise<void> {
    this.#drainScheduled = false;
    const events = this.#queue;
    this.#queue = [];
    const records: UnsealedRecord[] = [];
    if (this.#dropped > 0) {
      records.push(this.#overflowRecord(this.#dropped));
      this.#dropped = 0;
    }
    for (const event of events) records.push(this.#recordOf(event));
    try {
      await this.#reopenIfReplaced();
      await this.#writeRecords(records);
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  async #writeRecords(records: UnsealedRecord[]): Promise<void> {
    let pending: string[] = [];
    let pendingBytes = 0;
    for (const unsealedRecord of records) {
      const record = this.#chain(unsealedRecord);
      const line = `${canonicalJson(record)}\n`;
      const bytes = Buffer.byteLength(line);
      if (this.#size + pendingBytes > 0 && this.#size + pendingBytes + bytes > this.#options.maxBytes) {
        await this.#write(pending.join(''), pendingBytes);
        pending = [];
        pendingBytes = 0;
        await this.#rotate();
      }
      pending.push(line);
      pendingBytes += bytes;
    }
    if (pending.length > 0) await this.#write(pending.join(''), pendingBytes);
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
    // appendFile loops until every byte is written; a bare write may stop short.
    await (this.#handle as FileHandle).appendFile(text);
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
