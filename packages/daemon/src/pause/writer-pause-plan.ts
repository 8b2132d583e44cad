import { posixSuspender, win32Suspender } from './process-suspender.ts';
import { win32Native } from '../process/win32-native.ts';
import { findWritersSync } from './find-writers.ts';
import { pauseTreeSync } from './pause-tree.ts';
import type { PauseOutcome, PauseRequest } from './pause-processes.ts';
import { pauseWritersSync } from './pause-writers.ts';
import type { ProcessTableEntry } from '../process/process-table.ts';

/** A file that app processes append to, as much of it as pausing its writers needs. */
export interface WrittenFile {
  readonly file: string;
  /** Where writers cannot be paused: true when no app process may be writing the file. */
  writersStopped(): boolean;
  /** Windows and macOS: the pids whose process trees may write the file, picked from a fresh process table. */
  writerRoots(table: readonly ProcessTableEntry[]): number[];
}

/** How a rotation stops the file from growing, or why it must wait until the app stops. */
export type WriterPausePlan = { kind: 'pause'; pause(request: PauseRequest): PauseOutcome } | { kind: 'deferred'; reason: string };

const NOTHING_TO_PAUSE: WriterPausePlan = {
  kind: 'pause',
  pause: () => ({ ok: true, paused: { pids: [], since: performance.now(), resume: () => undefined } }),
};

/**
 * Picks how this platform pauses the writers of a live log:
 * - Linux: every process holding the file open for writing, found through /proc (a first full
 *   scan now, while writers still run; the paused rescan only looks at processes started since).
 * - Windows (native bindings loaded): the app's process trees, suspended with NtSuspendProcess.
 * - macOS: the app's process trees, stopped with SIGSTOP.
 * - Windows without the bindings: nothing to pause once the app is not running; while it runs
 *   the rotation is deferred.
 */
export function planWriterPause(subject: WrittenFile): WriterPausePlan {
  if (process.platform === 'linux') {
    const scanned = new Set<number>();
    const known = findWritersSync(subject.file, scanned);
    return { kind: 'pause', pause: (request) => pauseWritersSync(subject.file, { ...request, known, scanned }) };
  }
  const native = process.platform === 'win32' ? win32Native() : null;
  const suspender = native ? win32Suspender(native) : process.platform === 'win32' ? null : posixSuspender();
  if (suspender) return { kind: 'pause', pause: (request) => pauseTreeSync(suspender, { ...request, roots: (table) => subject.writerRoots(table) }) };
  if (subject.writersStopped()) return NOTHING_TO_PAUSE;
  return { kind: 'deferred', reason: 'the app is running and its writers cannot be paused here' };
}
