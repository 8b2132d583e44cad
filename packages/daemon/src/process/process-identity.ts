import { readProcessExecutable } from './executable-path.ts';
import { isPidAlive } from './is-alive.ts';
import { readProcessStartTime } from './start-time.ts';

/** What tells one incarnation of a pid apart from a later process that reused the number. */
export interface ProcessIdentity {
  pid: number;
  /** See readProcessStartTime; null when it cannot be read on this machine. */
  startTime: string | null;
  /** See readProcessExecutable; null when unknown. */
  executable: string | null;
}

/**
 * Reads the identity of a live process, or null when no process has this pid. A live process
 * whose start time or executable cannot be read gets null in those fields: callers that adopt
 * processes must treat that as "cannot verify", not as a match.
 *
 * @example
 * const recorded = await readProcessIdentity(child.pid);
 */
export async function readProcessIdentity(pid: number): Promise<ProcessIdentity | null> {
  if (!isPidAlive(pid)) return null;
  const [startTime, executable] = await Promise.all([readProcessStartTime(pid), readProcessExecutable(pid)]);
  // Checked again after reading: the fields may belong to nothing if the process died meanwhile.
  if (!isPidAlive(pid)) return null;
  return { pid, startTime, executable };
}
