import { readdirSync, readFileSync } from 'node:fs';
import { parseProcStat } from '../process/proc-stat.ts';
import { findWritersSync, stillWritingSync } from './find-writers.ts';
import { resumeProcesses } from '../process/resume-process.ts';

export interface PausedWriters {
  /** The processes this call stopped (and resume() continues). */
  readonly pids: readonly number[];
  /** performance.now() when the first of them was stopped. */
  readonly since: number;
  resume(): void;
}

export type PauseOutcome = { ok: true; paused: PausedWriters } | { ok: false; reason: string };

export interface PauseOptions {
  /** Writers found by an earlier scan (while they still ran). */
  known: readonly number[];
  /** Pids that scan looked at: only newer processes are scanned again. */
  scanned: Set<number>;
  timeoutMs: number;
  /** Called with every pid about to be stopped, before it is, so a crash can be undone at boot. */
  record(pids: readonly number[]): void;
}

const MAX_SCAN_ROUNDS = 8;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Stops (SIGSTOP) every process that holds `file` open for writing and waits until each of
 * their threads is really stopped, so the file cannot grow until resume(). Synchronous on
 * purpose: while it runs the daemon cannot spawn a new writer either. A writer may fork
 * between the scan and its stop; rescans (of new pids only) catch such children.
 */
export function pauseWritersSync(file: string, options: PauseOptions): PauseOutcome {
  const deadline = Date.now() + options.timeoutMs;
  const paused: number[] = [];
  let since = performance.now();
  const resume = (): void => resumeProcesses(paused);
  let candidates = [...stillWritingSync(file, options.known), ...findWritersSync(file, options.scanned)];
  for (let round = 0; round < MAX_SCAN_ROUNDS; round += 1) {
    // Stopped by someone else (an operator): it cannot write, and it is not ours to continue.
    const toStop = candidates.filter((pid) => !isStoppedSync(pid));
    if (toStop.length === 0) return { ok: true, paused: { pids: paused, since, resume } };
    options.record([...paused, ...toStop]);
    if (paused.length === 0) since = performance.now();
    for (const pid of toStop) {
      const stopped = stopOne(pid);
      if (stopped === 'denied') {
        resume();
        return { ok: false, reason: `not allowed to pause writer pid ${pid}` };
      }
      if (stopped === 'stopped') paused.push(pid);
    }
    if (!waitStoppedSync(toStop, deadline)) {
      resume();
      return { ok: false, reason: `writers did not pause within ${options.timeoutMs} ms` };
    }
    candidates = findWritersSync(file, options.scanned);
  }
  resume();
  return { ok: false, reason: 'new writers kept appearing' };
}

function stopOne(pid: number): 'stopped' | 'gone' | 'denied' {
  try {
    process.kill(pid, 'SIGSTOP');
    return 'stopped';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : 'denied';
  }
}


function waitStoppedSync(pids: readonly number[], deadline: number): boolean {
  for (;;) {
    if (pids.every(isStoppedSync)) return true;
    if (Date.now() >= deadline) return false;
    Atomics.wait(sleeper, 0, 0, 1);
  }
}

// Stopped means every thread: a worker thread may still be inside a write after the main one stopped.
function isStoppedSync(pid: number): boolean {
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
