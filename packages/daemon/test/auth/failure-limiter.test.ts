import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../src/auth/failure-limiter.ts';

// Pure bookkeeping over an injected clock: no timers involved.
describe('FailureLimiter', () => {
  const options = { maxFailures: 3, windowMs: 60_000, blockMs: 30_000 };

  it('blocks an address on its max-th failure within the window, for blockMs', () => {
    const limiter = new FailureLimiter(options);
    expect(limiter.recordFailure('10.0.0.1', 1_000)).toBe(false);
    expect(limiter.recordFailure('10.0.0.1', 2_000)).toBe(false);
    expect(limiter.blockedFor('10.0.0.1', 2_000)).toBe(0);
    expect(limiter.recordFailure('10.0.0.1', 3_000)).toBe(true);
    expect(limiter.blockedFor('10.0.0.1', 3_000)).toBe(30_000);
    expect(limiter.blockedFor('10.0.0.1', 32_999)).toBe(1);
    expect(limiter.blockedFor('10.0.0.1', 33_000)).toBe(0);
    expect(limiter.blockedFor('10.0.0.2', 3_000)).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const limiter = new FailureLimiter(options);
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 10_000);
    // 0 has left the window, 10_000 has not: two failures count.
    expect(limiter.recordFailure('a', 65_000)).toBe(false);
    // Now 10_000 has left too: 65_000 and 71_000 are two, not three.
    expect(limiter.recordFailure('a', 71_000)).toBe(false);
    expect(limiter.recordFailure('a', 72_000)).toBe(true);
  });

  it('starts counting afresh after a block ends', () => {
    const limiter = new FailureLimiter(options);
    for (const at of [0, 1, 2]) limiter.recordFailure('a', at);
    expect(limiter.recordFailure('a', 40_000)).toBe(false);
    expect(limiter.blockedFor('a', 40_000)).toBe(0);
  });

  it('remembers at most maxAddresses, dropping the least recently failed', () => {
    const limiter = new FailureLimiter({ ...options, maxFailures: 1, maxAddresses: 2 });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('b', 0);
    limiter.recordFailure('c', 0);
    expect(limiter.blockedFor('a', 1)).toBe(0);
    expect(limiter.blockedFor('b', 1)).toBeGreaterThan(0);
    expect(limiter.blockedFor('c', 1)).toBeGreaterThan(0);
  });
});
