import { posixSuspender } from './process-suspender.ts';
import { findWritersSync, stillWritingSync } from './find-writers.ts';
import { pauseProcessesSync, type PauseOutcome, type PauseRequest } from './pause-processes.ts';

export interface PauseOptions extends PauseRequest {
  /** Writers found by an earlier scan (while they still ran). */
  known: readonly number[];
  /** Pids that scan looked at: only newer processes are scanned again. */
  scanned: Set<number>;
}

/**
 * Linux: stops (SIGSTOP) every process that holds `file` open for writing, found through
 * /proc, and waits until each of their threads is really stopped, so the file cannot grow
 * until resume(). The first round takes the writers an earlier scan found (if they still
 * write) plus processes started since; later rounds only look at processes started since.
 */
export function pauseWritersSync(file: string, options: PauseOptions): PauseOutcome {
  let first = true;
  const candidates = (): number[] => {
    const found = findWritersSync(file, options.scanned);
    if (!first) return found;
    first = false;
    return [...stillWritingSync(file, options.known), ...found];
  };
  return pauseProcessesSync(posixSuspender(), candidates, options);
}
