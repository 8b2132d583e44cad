/**
 * Sends a signal to a pid (or, negative, a process group) and reports whether it was
 * delivered. ESRCH (already gone) and EPERM (not ours to signal) are expected while tearing
 * down a tree, so they are answered with false instead of thrown.
 *
 * @example
 * signalPid(-groupLeaderPid, 'SIGTERM');
 */
export function signalPid(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw error;
  }
}
