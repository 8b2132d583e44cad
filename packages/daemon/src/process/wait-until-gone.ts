import { setTimeout as delay } from 'node:timers/promises';
import { isPidRunning } from './is-alive.ts';

// Short enough that a stop feels instant, long enough that polling a few pids costs nothing.
const POLL_INTERVAL_MS = 50;

/**
 * Polls until none of the pids is running (zombies count as gone) or the timeout passes.
 * Resolves with the pids still running at the end: [] means all are gone.
 *
 * @example
 * const survivors = await waitUntilGone([pid, ...descendants], 5_000);
 */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let remaining = [...pids];
  for (;;) {
    const running = await Promise.all(remaining.map((pid) => isPidRunning(pid)));
    remaining = remaining.filter((_, index) => running[index]);
    if (remaining.length === 0 || Date.now() >= deadline) return remaining;
    await delay(Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
  }
}
