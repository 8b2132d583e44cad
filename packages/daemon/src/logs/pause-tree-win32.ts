import { collectDescendants } from '../process/process-tree.ts';
import { readNativeWindowsTable, type ProcessTableEntry } from '../process/process-table.ts';
import type { Win32Native } from '../process/win32-native.ts';
import type { PauseOutcome } from './pause-writers.ts';

export interface TreePauseOptions {
  /** The pids whose process trees may write the file, picked from a fresh process table. */
  roots(table: readonly ProcessTableEntry[]): number[];
  timeoutMs: number;
  /** Called with every pid about to be suspended, before it is, so a crash can be undone at boot. */
  record(pids: readonly number[]): void;
}

const MAX_SCAN_ROUNDS = 8;

/**
 * Windows: suspends (NtSuspendProcess) every process of the writers' trees and waits until
 * each of their threads has really stopped, so the file cannot grow until resume(). A process
 * may start a child between the snapshot and its suspension: rescans catch those.
 * Synchronous on purpose, like the Linux pause: the daemon cannot launch anything meanwhile.
 * Processes that left the tree (their parent exited) are not found: Windows has no cheap way
 * to ask which processes hold a file open.
 */
export function pauseTreeSync(native: Win32Native, options: TreePauseOptions): PauseOutcome {
  const deadline = Date.now() + options.timeoutMs;
  const paused: number[] = [];
  const since = performance.now();
  const resume = (): void => {
    for (const pid of paused) native.resume(pid);
  };
  for (let round = 0; round < MAX_SCAN_ROUNDS; round += 1) {
    const table = readNativeWindowsTable(native);
    const roots = options.roots(table).filter((pid) => table.some((row) => row.pid === pid));
    const tree = [...roots, ...collectDescendants(table, roots).map((row) => row.pid)];
    const toSuspend = tree.filter((pid) => !paused.includes(pid) && pid !== process.pid);
    if (toSuspend.length === 0) {
      if (native.confirmSuspended(paused)) return { ok: true, paused: { pids: paused, since, resume } };
      resume();
      return { ok: false, reason: 'could not confirm that the writers stopped' };
    }
    options.record([...paused, ...toSuspend]);
    for (const pid of toSuspend) {
      const outcome = native.suspend(pid);
      if (outcome === 'denied') {
        resume();
        return { ok: false, reason: `not allowed to suspend writer pid ${pid}` };
      }
      if (outcome === 'suspended') paused.push(pid);
    }
    if (Date.now() >= deadline) {
      resume();
      return { ok: false, reason: `writers did not pause within ${options.timeoutMs} ms` };
    }
  }
  resume();
  return { ok: false, reason: 'new writers kept appearing' };
}
