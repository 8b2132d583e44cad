import { fstatSync, statSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { LineSplitter } from './line-splitter.ts';
import { LogRing, type RingEntry } from './log-ring.ts';
import type { LogLimits } from './log-limits.ts';
import { rotateLiveLog } from './rotation/rotate-live-log.ts';
import type { RotationSubject } from './rotation/rotation-subject.ts';
import { watchFileChanges, type FileWakeup } from './file-wakeup.ts';
import type { ProcessTableEntry } from '../process/process-table.ts';
import type { ReadBufferPool } from './read-buffers.ts';
import type { IdleSweep, SweptTailer } from './idle-sweep.ts';

export type StreamName = 'out' | 'err';

// Reads up to this size take a slice of Node's shared 8 KiB pool (Buffer.allocUnsafe does so
// below half its size); larger ones borrow one of the service's read buffers.
const SMALL_READ_BYTES = Buffer.poolSize >>> 1;

/** Which output one tailer follows. */
export interface TailTarget {
  readonly app: string;
  readonly instance: number;
  readonly stream: StreamName;
  readonly file: string;
}

/**
 * What a tailer asks of its service. One object serves every tailer (each call names the
 * tailer's target): per-tailer closures would cost ~2 KB a tailer, 0.4 MB for 100 apps.
 */
export interface TailerDeps {
  readonly limits: LogLimits;
  /** Buffers of limits.readChunkBytes, shared by every tailer (and its rotations). */
  readonly readBuffers: ReadBufferPool;
  /** Where an idle, watched tailer waits (no timer of its own). */
  readonly idleSweep: IdleSweep;
  nextSeq(): number;
  /** The app's current logs.maxSize and logs.keep (they change with its spec). */
  rotation(target: TailTarget): { maxSize: number; keep: number };
  /** Where writers cannot be paused: true when no process of the instance is alive. */
  writersStopped(target: TailTarget): boolean;
  /** Windows and macOS: the pids whose process trees may write this file (see RotationSubject). */
  writerRoots(target: TailTarget, table: readonly ProcessTableEntry[]): number[];
  /** True while someone follows this output: every line is then decoded and handed to onLines. */
  followed(target: TailTarget): boolean;
  onLines(target: TailTarget, entries: RingEntry[]): void;
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Follows one live log file into a bounded ring: reads every byte the app appends (polling,
 * in batches while output flows; an idle file is watched for changes and polled only rarely),
 * and rotates the file once it passes logs.maxSize. While nobody follows the output, only
 * the lines the ring keeps are decoded. On start it
 * begins one ring's worth of bytes before the end, so output written while no daemon ran is
 * read at boot.
 */
export class LogTailer implements SweptTailer {
  readonly target: TailTarget;
  readonly ring: LogRing;
  readonly #deps: TailerDeps;
  readonly #splitter: LineSplitter;
  #handle: FileHandle | undefined;
  #wakeup: FileWakeup | null = null;
  /** The file changed since the current pump began reading: read again at once. */
  #changed = false;
  #ino = 0;
  #offset = 0;
  #skipToNewline = false;
  /** What the file held when the tail began (null once opened): older output is shown only as the last ring's worth. */
  #sizeAtStart: number | null;
  #delayMs: number;
  #timer: NodeJS.Timeout | undefined;
  #pumping: Promise<void> = Promise.resolve();
  #stopped = false;
  /** Idle and watched: no timer, only the idle sweep's looks and the watch's wakeups. */
  #parked = false;
  /** Set by the last pump: the file is idle and watched, so the tailer parks once the pump ends. */
  #parkNext = false;
  #rotationPausedUntil = 0;

  constructor(target: TailTarget, deps: TailerDeps) {
    this.target = target;
    this.#deps = deps;
    this.ring = new LogRing({ maxLines: deps.limits.ringLines, maxBytes: deps.limits.ringBytes });
    this.#splitter = new LineSplitter(deps.limits.maxLineBytes);
    this.#delayMs = deps.limits.pollMinMs;
    // Taken now, not at the first (later) open: everything written after this point is read.
    this.#sizeAtStart = sizeOf(target.file);
  }

  start(): void {
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unpark();
    clearTimeout(this.#timer);
    await this.#pumping;
    await this.#close();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#changed = false;
      this.#pumping = this.#pump().finally(() => this.#afterPump());
    }, delayMs);
    this.#timer.unref();
  }

  /** Next: at once after a change seen during the pump, parked when idle and watched, else after the back-off delay. */
  #afterPump(): void {
    if (this.#stopped) return;
    if (this.#changed || !this.#parkNext) {
      this.#schedule(this.#changed ? 0 : this.#delayMs);
      return;
    }
    this.#parked = true;
    this.#deps.idleSweep.park(this);
  }

  #unpark(): void {
    if (!this.#parked) return;
    this.#parked = false;
    this.#deps.idleSweep.unpark(this);
  }

  /** A change event of a watched (idle) file: the wait ends now; during a pump, it reads again when done. */
  #fileOnChange(): void {
    this.#changed = true;
    if (this.#stopped) return;
    if (this.#parked) {
      this.#unpark();
      this.#schedule(0);
      return;
    }
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#schedule(0);
  }

  /**
   * The idle sweep's look at a parked file: a full pump only when the file grew or shrank, the
   * path names another file now, or a rotation is due; otherwise nothing is read or allocated
   * beyond two stat results.
   */
  sweep(): void {
    if (!this.#parked || this.#stopped || !this.#needsPump()) return;
    this.#unpark();
    this.#schedule(0);
  }

  #needsPump(): boolean {
    const handle = this.#handle;
    if (!handle) return true;
    try {
      if (fstatSync(handle.fd).size !== this.#offset) return true;
      if (statSync(this.target.file, { throwIfNoEntry: false })?.ino !== this.#ino) return true;
    } catch {
      return true;
    }
    return this.#rotationDue(this.#deps.rotation(this.target).maxSize);
  }

  /** The file passed logs.maxSize and no failed or deferred rotation asks to wait. */
  #rotationDue(maxSize: number): boolean {
    return maxSize > 0 && this.#offset >= maxSize && Date.now() >= this.#rotationPausedUntil;
  }

  async #pump(): Promise<void> {
    this.#parkNext = false;
    try {
      const read = await this.#readAvailable();
      if (read === 'nothing' && this.#handle) await this.#checkIdentity();
      await this.#rotateIfDue();
      this.#backOff(read);
    } catch (error) {
      this.#deps.warn(`logs: ${this.target.file}: ${String(error)}`);
      this.#delayMs = this.#deps.limits.pollMaxMs;
    }
  }

  /**
   * Output flowing: unwatched (a change event per write would cost more than the reads); read
   * again at once while behind (yielding first), else after flowPollMs, so each read takes a
   * batch rather than the few lines written since the last one. Idle: back off; once at the
   * longest poll, watch the file and look once more (a write may have landed before the watch
   * was set), then sleep long.
   */
  #backOff(read: 'nothing' | 'caught up' | 'behind'): void {
    const { pollMinMs, pollMaxMs, watchedPollMaxMs, flowPollMs } = this.#deps.limits;
    if (read !== 'nothing') {
      this.#unwatch();
      this.#delayMs = read === 'behind' ? 0 : flowPollMs;
      return;
    }
    if (this.#wakeup) {
      this.#delayMs = watchedPollMaxMs;
      this.#parkNext = true;
      return;
    }
    this.#delayMs = Math.min(Math.max(this.#delayMs * 2, pollMinMs), pollMaxMs);
    if (this.#delayMs < pollMaxMs || !this.#handle) return;
    this.#wakeup = watchFileChanges(this.target.file, () => this.#fileOnChange());
    if (this.#wakeup) this.#delayMs = 0;
  }

  #unwatch(): void {
    this.#wakeup?.close();
    this.#wakeup = null;
  }

  /** Reads what the file holds beyond the offset, up to the per-pump budget; says whether it read anything and whether more is waiting. */
  async #readAvailable(): Promise<'nothing' | 'caught up' | 'behind'> {
    const handle = this.#handle ?? (await this.#open());
    if (!handle) return 'nothing';
    const { size } = await handle.stat();
    if (size < this.#offset) this.#restartFile('was truncated by someone else');
    const { readChunkBytes, readBudgetBytes } = this.#deps.limits;
    let total = 0;
    while (total < readBudgetBytes && this.#offset < size && !this.#stopped) {
      // Sized to what is there: an idle tailer holds no buffer.
      const length = Math.min(readChunkBytes, size - this.#offset);
      const lent = length > SMALL_READ_BYTES ? this.#deps.readBuffers.acquire() : undefined;
      let bytesRead: number;
      try {
        const buffer = lent ?? Buffer.allocUnsafe(length);
        ({ bytesRead } = await handle.read(buffer, 0, length, this.#offset));
        // Lines are decoded and the pending bytes copied: nothing keeps the buffer.
        if (bytesRead > 0) this.#consume(buffer.subarray(0, bytesRead));
      } finally {
        if (lent) this.#deps.readBuffers.release(lent);
      }
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total === 0) return 'nothing';
    return this.#offset < size ? 'behind' : 'caught up';
  }

  async #open(): Promise<FileHandle | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.target.file, 'r');
    } catch {
      return undefined;
    }
    const { size, ino } = await handle.stat();
    this.#handle = handle;
    this.#ino = ino;
    this.#offset = 0;
    // Output from before the tail began (written while no daemon ran, at boot): its last ring's
    // worth, from a line boundary. What came after is all read, for followers too.
    const before = Math.min(this.#sizeAtStart ?? 0, size);
    if (before > this.#deps.limits.ringBytes) {
      this.#offset = before - this.#deps.limits.ringBytes;
      this.#skipToNewline = true;
    }
    this.#sizeAtStart = null;
    return handle;
  }

  /** The path now names another file (replaced or deleted): finish the old one, then switch. */
  async #checkIdentity(): Promise<void> {
    const current = await stat(this.target.file).catch(() => undefined);
    if (current?.ino === this.#ino) return;
    this.#emit(this.#splitter.flush());
    await this.#close();
  }

  #restartFile(why: string): void {
    this.#deps.warn(`logs: ${this.target.file} ${why}; reading it from the start`);
    this.#emit(this.#splitter.flush());
    this.#offset = 0;
    this.#skipToNewline = false;
  }

  async #close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#unwatch();
    await handle?.close().catch(() => undefined);
  }

  #consume(chunk: Buffer): void {
    this.#offset += chunk.length;
    let data = chunk;
    if (this.#skipToNewline) {
      const newline = data.indexOf(0x0a);
      if (newline === -1) return;
      this.#skipToNewline = false;
      data = data.subarray(newline + 1);
    }
    this.#emit(this.#splitter.push(data, this.#deps.followed(this.target) ? undefined : this.ring.admitsNewest()));
  }

  #emit(lines: string[]): void {
    if (lines.length === 0) return;
    const at = Date.now();
    const entries = lines.map((line) => ({ seq: this.#deps.nextSeq(), at, line }));
    for (const entry of entries) this.ring.push(entry);
    this.#deps.onLines(this.target, entries);
  }

  async #rotateIfDue(): Promise<void> {
    const { maxSize, keep } = this.#deps.rotation(this.target);
    if (!this.#handle || !this.#rotationDue(maxSize)) return;
    const { size } = await this.#handle.stat();
    // Far behind a flood: catch up first, so writers are never paused for a long drain.
    if (size - this.#offset > this.#deps.limits.readBudgetBytes) return;
    const outcome = await rotateLiveLog(this.#rotationSubject(keep), {
      freezeTimeoutMs: this.#deps.limits.freezeTimeoutMs,
      buffers: this.#deps.readBuffers,
    });
    if (outcome.rotated) {
      this.#deps.info(`logs: rotated ${this.target.file} (${outcome.rotatedBytes} bytes; ${outcome.pausedWriters} writers paused ${outcome.pausedMs.toFixed(1)} ms)`);
      return;
    }
    this.#rotationPausedUntil = Date.now() + (outcome.deferred ? this.#deps.limits.pollMaxMs : this.#deps.limits.rotationRetryMs);
    if (!outcome.deferred) this.#deps.warn(`logs: cannot rotate ${this.target.file} yet: ${outcome.reason}`);
  }

  #rotationSubject(keep: number): RotationSubject {
    const tailer = this;
    return {
      file: this.target.file,
      ino: this.#ino,
      keep,
      get offset() {
        return tailer.#offset;
      },
      pending: () => this.#splitter.pending,
      consume: (chunk) => this.#consume(chunk),
      catchUp: async () => {
        await this.#readAvailable();
      },
      truncated: (offset) => {
        this.#offset = offset;
      },
      writersStopped: () => this.#deps.writersStopped(this.target),
      writerRoots: (table) => this.#deps.writerRoots(this.target, table),
    };
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
