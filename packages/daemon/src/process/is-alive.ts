import { isExitedState, readProcStat } from './proc-stat.ts';
import { runCommand } from './run-command.ts';

/**
 * True when a process with this pid exists, including a zombie that has exited but not been
 * reaped. Uses signal 0, which checks existence and permission without delivering anything.
 *
 * @example
 * isPidAlive(process.pid); // true
 */
export function isPidAlive(pid: number): boolean {
  // 0 and negative pids address process groups, not one process.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone we may not signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the process exists and has not exited. Unlike {@link isPidAlive}, a zombie (exited,
 * waiting for its parent to reap it) counts as not running: the supervisor's own children show
 * as zombies between their exit and Node reaping them, and a zombie cannot be killed anyway.
 *
 * @example
 * await isPidRunning(child.pid); // false once the child exited, even before 'exit' fired
 */
export async function isPidRunning(pid: number): Promise<boolean> {
  if (!isPidAlive(pid)) return false;
  if (process.platform === 'win32') return true;
  if (process.platform === 'linux') {
    const stat = await readProcStat(pid);
    // No readable stat while signal 0 succeeded (e.g. /proc mounted with hidepid): trust signal 0.
    return stat === null ? isPidAlive(pid) : !isExitedState(stat.state);
  }
  const state = await runCommand('ps', ['-o', 'stat=', '-p', String(pid)]);
  if (state === null) return isPidAlive(pid);
  return !state.trim().startsWith('Z');
}
