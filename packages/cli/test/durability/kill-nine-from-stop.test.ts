import { describe, expect, it } from 'vitest';
import { KILL9_ROUNDS, runRounds } from './kill-nine-rounds.ts';

// Two files, so the two workers share the rounds; this one enters the cycle at stop.
describe('kill -9 of the daemon at every step of launch, stop and apply', () => {
  it(`${KILL9_ROUNDS} rounds from stop: never two copies, never an unlisted child, every acknowledged command kept`, { timeout: 600_000 }, async () => {
    const counts = await runRounds(KILL9_ROUNDS, 0);
    // Most rounds must really die at a step, not just after the reply.
    expect(counts.faulted + counts.bootFaults).toBeGreaterThan(KILL9_ROUNDS / 2);
    expect(counts.acked).toBeGreaterThan(0);
  });
});
