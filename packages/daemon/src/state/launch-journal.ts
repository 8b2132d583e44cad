import { constants, fdatasyncSync, fstatSync, ftruncateSync, writeSync } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { APP_NAME_PATTERN } from '@owl/rpc/contract';
import { LAUNCH_ID_PATTERN } from '../adopt/launch-marker.ts';
import { PRIVATE_FILE_MODE } from '../home/private-files.ts';
import { fsyncDirectory } from './atomic-write.ts';
import type { DaemonState } from './daemon-state.ts';

/** One launch, on disk before its spawn: the child carries the same id in OWL_LAUNCH. */
export interface LaunchEntry {
  app: string;
  instance: number;
  launchId: string;
}

/** The journal is folded into state.json (and emptied) once it holds this much. */
export const LAUNCH_JOURNAL_COMPACT_BYTES = 64 * 1024;

// Each write is on disk when it returns: one call per launch instead of a write and an
// fdatasync. Where the flag does not exist (Windows), an fdatasync follows each write.
const DSYNC_APPEND = constants.O_DSYNC === undefined ? undefined : constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC;

/**
 * An append within this long of the last one is part of a burst (an apply, a restart of many):
 * it goes through the thread pool, so the event loop keeps launching while the disk flushes,
 * and the entries that queue meanwhile share the next append.
 */
const BURST_MS = 100;

interface Waiter {
  line: string;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Makes a launch durable before its spawn with one small synchronous append (O_DSYNC), instead of
 * a full state.json rewrite (temp file, fsync, rename, directory fsync): a crash-restart then
 * waits for the cheapest write that survives a power cut. Launches recorded together share one
 * append. At boot the entries are replayed onto state.json (the newest per instance wins),
 * which is then written and the journal emptied; a running daemon empties it the same way once
 * it passes LAUNCH_JOURNAL_COMPACT_BYTES.
 */
export class LaunchJournal {
  readonly #file: string;
  #handle: FileHandle | undefined;
  #queue: Waiter[] = [];
  /** Every append, truncation and close runs on this chain, one at a time. */
  #chain: Promise<void> = Promise.resolve();
  /** Runs on the chain not finished yet: while none is, an append writes synchronously. */
  #inFlight = 0;
  /** Settles once the queued entries were handed to #write. */
  #scheduled: Promise<void> = Promise.resolve();
  #bytes: number;
  #appended = 0;
  // A failed append may have left part of a line that could not be cut: the next one starts a fresh line.
  #tornTail = false;
  /** When the last append finished (process.uptime, ms); a burst is appends closer than BURST_MS. */
  #lastWrittenAt = -Infinity;

  private constructor(file: string, bytes: number) {
    this.#file = file;
    this.#bytes = bytes;
  }

  /** Opens (creating, durably) the journal for appends; when it cannot be opened now, the first append tries again. */
  static async open(file: string): Promise<LaunchJournal> {
    const existing = await stat(file).catch(() => undefined);
    const journal = new LaunchJournal(file, existing?.size ?? 0);
    await journal.#open().catch(() => undefined);
    return journal;
  }

  /** Bytes the journal holds (what a compaction would fold into state.json). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Resolves once the entry is on disk (fdatasync); rejects when it could not be written. */
  append(entry: LaunchEntry): Promise<void> {
    const line = `${JSON.stringify({ app: entry.app, instance: entry.instance, launchId: entry.launchId })}\n`;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ line, resolve, reject });
      // The first waiter schedules the write; those that arrive before it runs (launches
      // started in the same turn) join it.
      if (this.#queue.length > 1) return;
      this.#scheduled = new Promise<void>((scheduled) =>
        queueMicrotask(() => {
          this.#write();
          scheduled();
        }),
      );
    });
  }

  /**
   * Empties the journal once `save` has put a state holding every launch appended so far on
   * disk; a launch appended meanwhile keeps it (it may not be in what `save` wrote).
   */
  async compact(save: () => Promise<void>): Promise<void> {
    const appended = this.#appended;
    await save();
    await this.#run(async () => {
      if (this.#appended !== appended || this.#bytes === 0) return;
      const handle = await this.#open();
      await handle.truncate(0);
      await handle.datasync();
      this.#bytes = 0;
      this.#tornTail = false;
    });
  }

  /** Resolves once every append and truncation begun so far has finished (never rejects). */
  idle(): Promise<void> {
    return this.#scheduled.then(() => this.#chain);
  }

  close(): Promise<void> {
    return this.#run(async () => {
      const handle = this.#handle;
      this.#handle = undefined;
      await handle?.close();
    });
  }

  #run(work: () => Promise<void>): Promise<void> {
    this.#inFlight += 1;
    const run = this.#chain.then(work).finally(() => (this.#inFlight -= 1));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Writes the queued entries. A lone launch (the file open, nothing else on the chain, no append
   * in the last BURST_MS) is written in this turn and synchronously: it waits for the disk either
   * way, and a write through the thread pool adds two thread wake-ups to the path from a crash to
   * the relaunch (each one a wait for a core on a busy machine). Otherwise (first open, a
   * truncation in flight, a burst of launches) on the chain, through the thread pool: a
   * synchronous flush per launch would hold the event loop for the disk's latency each time,
   * and the launches of a burst would not share appends.
   */
  #write(): void {
    const handle = this.#handle;
    if (handle === undefined || this.#inFlight > 0 || uptimeMs() - this.#lastWrittenAt < BURST_MS) {
      void this.#run(() => this.#flush());
      return;
    }
    const { batch, text } = this.#takeBatch();
    try {
      // writeSync may stop short: loop until every byte is written.
      const bytes = Buffer.from(text);
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(handle.fd, bytes, offset);
      if (DSYNC_APPEND === undefined) fdatasyncSync(handle.fd);
    } catch (error) {
      this.#cutTornTailSync(handle.fd);
      for (const waiter of batch) waiter.reject(error);
      return;
    }
    this.#written(batch, text);
  }

  #takeBatch(): { batch: Waiter[]; text: string } {
    const batch = this.#queue;
    this.#queue = [];
    return { batch, text: (this.#tornTail ? '\n' : '') + batch.map((waiter) => waiter.line).join('') };
  }

  #written(batch: readonly Waiter[], text: string): void {
    this.#bytes += Buffer.byteLength(text);
    this.#appended += batch.length;
    this.#tornTail = false;
    this.#lastWrittenAt = uptimeMs();
    for (const waiter of batch) waiter.resolve();
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle) return this.#handle;
    const existed = await stat(this.#file).then(
      () => true,
      () => false,
    );
    const handle = await open(this.#file, DSYNC_APPEND ?? 'a', PRIVATE_FILE_MODE);
    // A new file's name must survive a crash too, or the appends vanish with it.
    if (!existed) await fsyncDirectory(path.dirname(this.#file)).catch(() => undefined);
    this.#handle = handle;
    return handle;
  }

  async #flush(): Promise<void> {
    const { batch, text } = this.#takeBatch();
    try {
      const handle = await this.#open();
      // appendFile loops until every byte is written; a bare write may stop short.
      await handle.appendFile(text);
      if (DSYNC_APPEND === undefined) await handle.datasync();
    } catch (error) {
      await this.#cutTornTail();
      for (const waiter of batch) waiter.reject(error);
      return;
    }
    this.#written(batch, text);
  }

  /** As #cutTornTail, for a synchronous write. */
  #cutTornTailSync(fd: number): void {
    try {
      if (fstatSync(fd).size > this.#bytes) ftruncateSync(fd, this.#bytes);
    } catch {
      this.#tornTail = true;
    }
  }

  /** A full disk may have taken part of the text: cut it, or start the next append on a line of its own. */
  async #cutTornTail(): Promise<void> {
    try {
      const handle = await this.#open();
      if ((await handle.stat()).size > this.#bytes) await handle.truncate(this.#bytes);
    } catch {
      this.#tornTail = true;
    }
  }
}

/** The entries on disk, oldest first; a line that is not a whole entry (a torn append) is skipped. */
export async function readLaunchJournal(file: string): Promise<LaunchEntry[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const entries: LaunchEntry[] = [];
  for (const line of text.split('\n')) {
    const entry = parseEntry(line);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseEntry(line: string): LaunchEntry | null {
  if (line.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const { app, instance, launchId } = (value ?? {}) as Partial<LaunchEntry>;
  if (typeof app !== 'string' || !APP_NAME_PATTERN.test(app)) return null;
  if (!Number.isSafeInteger(instance) || (instance as number) < 0) return null;
  if (typeof launchId !== 'string' || !LAUNCH_ID_PATTERN.test(launchId)) return null;
  return { app, instance: instance as number, launchId };
}

/**
 * Puts each instance's newest journaled launch id into the loaded state (entries of apps or
 * instances the state does not hold are dropped: nothing wants those). An instance launches
 * only once its previous process is gone, so a launch newer than the state also clears the
 * recorded pid: the next daemon finds the new process by its marker, or launches again at
 * boot, as it did when the whole state was written before each spawn. Returns how many
 * instance records changed.
 */
export function applyLaunchJournal(state: DaemonState, entries: readonly LaunchEntry[]): number {
  const newest = new Map<string, LaunchEntry>();
  for (const entry of entries) newest.set(`${entry.app}\u0000${entry.instance}`, entry);
  let changed = 0;
  for (const entry of newest.values()) {
    const app = Object.hasOwn(state.apps, entry.app) ? state.apps[entry.app] : undefined;
    const record = app?.instances.find((instance) => instance.index === entry.instance);
    if (!record || record.launchId === entry.launchId) continue;
    Object.assign(record, { launchId: entry.launchId, pid: null, startTime: null });
    changed += 1;
  }
  return changed;
}

function uptimeMs(): number {
  return process.uptime() * 1000;
}
