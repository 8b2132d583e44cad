import { describe, expect, it } from 'vitest';
import { AppSpecInputSchema } from '@owl/rpc/contract';
import { backoffDelay, decideAfterExit } from '../../src/supervise/restart-policy.ts';

const restartOf = (restart: Record<string, unknown> = {}) => AppSpecInputSchema.parse({ name: 'a', command: 'x', restart }).restart;

describe('restart policy decisions', () => {
  it('grows the backoff per consecutive failure up to max, plus delay', () => {
    const restart = restartOf({ backoff: { initial: 100, factor: 3, max: 1000 }, delay: 5 });
    expect([1, 2, 3, 4, 5].map((failures) => backoffDelay(restart, failures))).toEqual([105, 305, 905, 1005, 1005]);
  });

  it('spends the budget after maxRestarts consecutive failures and retries after cooldown', () => {
    const restart = restartOf({ maxRestarts: 2, cooldown: '1m' });
    const quick = { code: 1, signal: null, uptimeMs: 10 };
    expect(decideAfterExit(restart, { ...quick, failures: 0 })).toEqual({ action: 'relaunch', delayMs: 100, failures: 1 });
    expect(decideAfterExit(restart, { ...quick, failures: 1 })).toEqual({ action: 'relaunch', delayMs: 200, failures: 2 });
    expect(decideAfterExit(restart, { ...quick, failures: 2 })).toEqual({
      action: 'budget-spent',
      retryInMs: 60_000,
      failures: 3,
      reason: 'restart budget spent: 3 consecutive failures (maxRestarts 2); next try in 60000 ms',
    });
  });

  it('a healthy run resets the count and relaunches without backoff; unknown uptime counts as a failure', () => {
    const restart = restartOf({ minUptime: '1s' });
    expect(decideAfterExit(restart, { code: 1, signal: null, uptimeMs: 5_000, failures: 9 })).toEqual({ action: 'relaunch', delayMs: 0, failures: 1 });
    expect(decideAfterExit(restart, { code: null, signal: null, uptimeMs: null, failures: 2 })).toEqual({ action: 'relaunch', delayMs: 400, failures: 3 });
  });

  it('on-failure leaves a clean exit alone but restarts a signal; never never restarts', () => {
    const onFailure = restartOf({ policy: 'on-failure' });
    expect(decideAfterExit(onFailure, { code: 0, signal: null, uptimeMs: 1, failures: 0 })).toEqual({
      action: 'stay-stopped',
      reason: 'exited with code 0; clean exit, restart policy is on-failure',
      failures: 0,
    });
    expect(decideAfterExit(onFailure, { code: null, signal: 'SIGKILL', uptimeMs: 1, failures: 0 }).action).toBe('relaunch');
    expect(decideAfterExit(restartOf({ policy: 'never' }), { code: 3, signal: null, uptimeMs: 1, failures: 0 })).toEqual({
      action: 'stay-stopped',
      reason: 'exited with code 3; restart policy is never',
      failures: 0,
    });
  });
});
