import { win32Native } from '../process/win32-native.ts';

/**
 * Lets a paused process run again: SIGCONT on POSIX, NtResumeProcess on Windows. A process
 * that is gone (or, on Windows, not suspended) is left alone.
 */
export function resumeProcess(pid: number): void {
  if (process.platform === 'win32') {
    win32Native()?.resume(pid);
    return;
  }
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    // Gone meanwhile.
  }
}

export function resumeProcesses(pids: readonly number[]): void {
  for (const pid of pids) resumeProcess(pid);
}
