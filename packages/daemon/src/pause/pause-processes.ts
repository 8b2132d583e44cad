import type { ProcessSuspender } from './process-suspender.ts';

export interface PausedWriters {
  /** The processes this call stopped (and resume() continues). */
  readonly pids: readonly number[];
  /** performance.now() when the first of them was stopped. */
  readonly since: number;
  resume(): void;
}

export type PauseOutcome = { ok: true; paused: PausedWriters } | { ok: false; reason: string };

export interface PauseRequest {
  timeoutMs: number;
  /** Called with every pid about to be paused, before it is, so a crash can be undone at boot. */
  record(pids: readonly number[]): void;
}

const MAX_SCAN_ROUNDS = 8;

/**
 * Pauses whatever `candidates()` returns, round after round, until a round finds nothing new:
 * a writer may start a child between a scan and its pause, and the next scan catches it.
 * Each round waits until every thread of what it paused has really stopped. Candidates that
 * were already stopped by someone else (an operator) cannot write and are not ours to resume.
 * Synchronous on purpose: while it runs the daemon cannot launch a new writer either.
 */
export function pauseProcessesSync(suspender: ProcessSuspender, candidates: () => number[], request: PauseRequest): PauseOutcome {
  const deadline = Date.now() + request.timeoutMs;
  const paused: number[] = [];
  const seen = new Set<number>([process.pid]);
  let since = performance.now();
  const resume = (): void => {
    for (const pid of paused) suspender.resume(pid);
  };
  for (let round = 0; round < MAX_SCAN_ROUNDS; round += 1) {
    const fresh = candidates().filter((pid) => !seen.has(pid));
    for (const pid of fresh) seen.add(pid);
    const toPause = fresh.filter((pid) => !suspender.isStopped(pid));
    if (toPause.length === 0) return { ok: true, paused: { pids: paused, since, resume } };
    request.record([...paused, ...toPause]);
    if (paused.length === 0) since = performance.now();
    for (const pid of toPause) {
      const outcome = suspender.suspend(pid);
      if (outcome === 'denied') {
        resume();
        return { ok: false, reason: `not allowed to pause writer pid ${pid}` };
      }
      if (outcome === 'suspended') paused.push(pid);
    }
    if (!suspender.waitSuspended(toPause, deadline)) {
      resume();
      return { ok: false, reason: `writers did not pause within ${request.timeoutMs} ms` };
    }
  }
  resume();
  return { ok: false, reason: 'new writers kept appearing' };
}
