import { collectDescendants } from '../process/process-tree.ts';
import type { ProcessTableEntry } from '../process/process-table.ts';
import type { ProcessSuspender } from './process-suspender.ts';
import { pauseProcessesSync, type PauseOutcome, type PauseRequest } from './pause-processes.ts';

export interface TreePauseOptions extends PauseRequest {
  /** The pids whose process trees may write the file, picked from a fresh process table. */
  roots(table: readonly ProcessTableEntry[]): number[];
}

/**
 * Pauses every process of the writers' trees (Windows: NtSuspendProcess; macOS: SIGSTOP),
 * reading a fresh process table each round. Processes that left the tree (their parent
 * exited) are not found: neither platform has a cheap way to ask which processes hold a file
 * open (Linux does: see pause-writers.ts).
 */
export function pauseTreeSync(suspender: ProcessSuspender, options: TreePauseOptions): PauseOutcome {
  return pauseProcessesSync(
    suspender,
    () => {
      const table = suspender.table();
      const roots = options.roots(table).filter((pid) => table.some((row) => row.pid === pid));
      return [...roots, ...collectDescendants(table, roots).map((row) => row.pid)];
    },
    options,
  );
}
