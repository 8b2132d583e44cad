/**
 * Test hook: `OWL_FAULT_STOP_AT=<step>[@n]` makes the daemon SIGSTOP itself the n-th time
 * (default first) it reaches the named step, so a test can kill -9 it exactly there. Steps:
 * launch:recorded (launch on disk, before the spawn), launch:spawned (child alive, pid not yet
 * on disk), <operation>:intent (new intent on disk, before acting on it), stop:terminated
 * (processes gone, final state not yet on disk), <operation>:committed (just before the reply),
 * roost:pointer (a roost's new pointer on disk, its link not yet flipped).
 * Read once; unset (the normal case) it costs one comparison.
 */
export const FAULT_ENV = 'OWL_FAULT_STOP_AT';

const [stepName, occurrence] = (process.env[FAULT_ENV] ?? '').split('@');
let remaining = Number(occurrence ?? 1) || 1;

export function faultPoint(step: string): void {
  if (!stepName || step !== stepName || process.platform === 'win32') return;
  remaining -= 1;
  if (remaining === 0) process.kill(process.pid, 'SIGSTOP');
}
