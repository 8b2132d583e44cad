import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseProcStat } from '../process/proc-stat.ts';
import type { ProcessTableEntry } from '../process/process-table.ts';
import { readNativeWindowsTable } from '../process/process-table.ts';
import { resumeProcess } from './resume-process.ts';
import type { SuspendOutcome, Win32Native } from '../process/win32-native.ts';

/**
 * Synchronous process-table reads and suspension, for the few milliseconds in which a log
 * rotation must keep every writer still (nothing else may run meanwhile, so nothing is async).
 */
export interface ProcessSuspender {
  table(): ProcessTableEntry[];
  /** True when the process is already stopped by someone else (not ours to resume). */
  isStopped(pid: number): boolean;
  suspend(pid: number): SuspendOutcome;
  resume(pid: number): void;
  /** Waits until every thread of these processes has stopped; false when the deadline passes first. */
  waitSuspended(pids: readonly number[], deadline: number): boolean;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Windows: Toolhelp32 and NtSuspendProcess through the native bindings. */
export function win32Suspender(native: Win32Native): ProcessSuspender {
  return {
    table: () => readNativeWindowsTable(native),
    // Windows counts suspensions: suspending an already suspended process and resuming it is harmless.
    isStopped: () => false,
    suspend: (pid) => native.suspend(pid),
    resume: (pid) => native.resume(pid),
    waitSuspended: (pids) => native.confirmSuspended(pids),
  };
}

/** Linux and macOS: SIGSTOP/SIGCONT; the table and thread states from /proc, or `ps` on macOS. */
export function posixSuspender(): ProcessSuspender {
  const linux = process.platform === 'linux';
  const isStopped = linux ? isStoppedLinux : isStoppedPs;
  return {
    table: linux ? readLinuxTableSync : readPsTableSync,
    isStopped,
    suspend: (pid) => {
      try {
        process.kill(pid, 'SIGSTOP');
        return 'suspended';
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : 'denied';
      }
    },
    resume: resumeProcess,
    waitSuspended: (pids, deadline) => {
      for (;;) {
        if (pids.every(isStopped)) return true;
        if (Date.now() >= deadline) return false;
        Atomics.wait(sleeper, 0, 0, 1);
      }
    },
  };
}

/** Linux: stopped means every thread (a worker thread may still be inside a write after the main one stopped). */
export function isStoppedLinux(pid: number): boolean {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return true;
  }
  return tasks.every((task) => {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    } catch {
      return true;
    }
    const state = parseProcStat(pid, text)?.state;
    return state === undefined || 'TtZX'.includes(state);
  });
}

function readLinuxTableSync(): ProcessTableEntry[] {
  const rows: ProcessTableEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseProcStat(Number(name), readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (stat) rows.push({ pid: stat.pid, ppid: stat.ppid, startTime: null });
    } catch {
      // Exited since readdir.
    }
  }
  return rows;
}

function readPsTableSync(): ProcessTableEntry[] {
  const output = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  return parsePsPairs(output);
}

/** Parses `ps -o pid=,ppid=` lines. */
export function parsePsPairs(output: string): ProcessTableEntry[] {
  const rows: ProcessTableEntry[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (match) rows.push({ pid: Number(match[1]), ppid: Number(match[2]), startTime: null });
  }
  return rows;
}

// macOS `ps` state: T = stopped, Z = zombie; no output = gone.
function isStoppedPs(pid: number): boolean {
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return state === '' || state.startsWith('T') || state.startsWith('Z');
  } catch {
    return true;
  }
}
