import type { AppSpec } from '@owl/rpc/contract';

export interface ExitFacts {
  code: number | null;
  signal: string | null;
  /** How long the process ran, or null when unknown (it died while the daemon was down). */
  uptimeMs: number | null;
  /** Consecutive failures before this exit. */
  failures: number;
}

export type ExitDecision =
  | { action: 'stay-stopped'; reason: string; failures: number }
  | { action: 'relaunch'; delayMs: number; failures: number }
  | { action: 'budget-spent'; retryInMs: number; failures: number; reason: string };

/** Backoff before the n-th consecutive relaunch (n >= 1): initial * factor^(n-1), capped at max. */
export function backoffDelay(restart: AppSpec['restart'], failures: number): number {
  const exponent = Math.max(0, failures - 1);
  const raw = restart.backoff.initial * restart.backoff.factor ** exponent;
  return Math.min(restart.backoff.max, Math.round(raw)) + restart.delay;
}

/** Decides what follows an exit, by policy, failure count and minUptime. */
export function decideAfterExit(restart: AppSpec['restart'], facts: ExitFacts): ExitDecision {
  const clean = facts.code === 0 && facts.signal === null;
  // A run longer than minUptime proves the app healthy: the failure count starts over.
  const healthyRun = facts.uptimeMs !== null && facts.uptimeMs >= restart.minUptime;
  const failures = healthyRun ? 1 : facts.failures + 1;
  if (restart.policy === 'never') {
    return { action: 'stay-stopped', reason: describeExit(facts, 'restart policy is never'), failures: 0 };
  }
  if (restart.policy === 'on-failure' && clean) {
    return { action: 'stay-stopped', reason: describeExit(facts, 'clean exit, restart policy is on-failure'), failures: 0 };
  }
  if (failures > restart.maxRestarts) {
    return {
      action: 'budget-spent',
      retryInMs: restart.cooldown,
      failures,
      reason: `restart budget spent: ${failures} consecutive failures (maxRestarts ${restart.maxRestarts}); next try in ${restart.cooldown} ms`,
    };
  }
  // A crash after a healthy run relaunches at once (plus any configured delay); only a
  // crash loop backs off.
  const delayMs = healthyRun ? restart.delay : backoffDelay(restart, failures);
  return { action: 'relaunch', delayMs, failures };
}

export function describeExit(facts: Pick<ExitFacts, 'code' | 'signal'>, suffix?: string): string {
  const how = facts.signal ? `killed by ${facts.signal}` : facts.code === null ? 'exited (code unknown)' : `exited with code ${facts.code}`;
  return suffix ? `${how}; ${suffix}` : how;
}
