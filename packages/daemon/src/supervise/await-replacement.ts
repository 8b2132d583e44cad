import type { AppSpec } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';
import { hasProbe } from '../health/instance-probe.ts';
import type { InstanceRunner } from './instance-runner.ts';

export type ReplacementVerdict = { ok: true } | { ok: false; reason: string };

/**
 * With neither a health check nor initGrace nothing says when an app is ready, so its
 * replacement must at least stay up this long: a script that dies on start is caught before
 * the next old instance is stopped.
 */
export const RELOAD_SETTLE_MS = 1_000;
// Beyond the time the checks themselves need: a slow machine, a slow first request.
const READY_SLACK_MS = 10_000;

/** How long a replacement may take to become ready before the reload gives up on it. */
export function readyTimeoutMs(spec: AppSpec, platform: NodeJS.Platform = process.platform): number {
  const health = hasProbe(spec.health, platform) ? spec.health : undefined;
  const checks = health ? (health.stallAfter + 1) * (health.interval + health.timeout) : RELOAD_SETTLE_MS;
  return spec.initGrace + checks + READY_SLACK_MS;
}

/**
 * Waits until the instance's freshly launched process is ready: running and passing its health
 * check (apps with one), running after initGrace (apps with one), or still running after
 * RELOAD_SETTLE_MS. Any exit, failed launch, stall or timeout is a failed replacement.
 * Event-driven: every state change and health result of the instance is an event.
 */
export function awaitReplacement(runner: InstanceRunner, events: EventBus, platform: NodeJS.Platform = process.platform): Promise<ReplacementVerdict> {
  const { spec, record } = runner;
  const pid = record.pid;
  const withHealth = hasProbe(spec.health, platform);
  return new Promise((resolve) => {
    let healthy = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (verdict: ReplacementVerdict): void => {
      stopListening();
      for (const timer of timers) clearTimeout(timer);
      resolve(verdict);
    };
    const check = (): void => {
      if (pid === null || record.pid !== pid) return finish({ ok: false, reason: record.reason ?? `exited (${describeLastExit(runner)})` });
      if (record.status === 'stalled') return finish({ ok: false, reason: `health check failing: ${record.reason ?? ''}`.trim() });
      if (record.status !== 'running' && record.status !== 'launching') return finish({ ok: false, reason: record.reason ?? record.status });
      if (record.status !== 'running') return;
      if (withHealth ? healthy : spec.initGrace > 0) finish({ ok: true });
    };
    const stopListening = events.listen((event) => {
      if (event.app !== runner.name || event.instance !== record.index) return;
      if (event.type === 'health' && event.data.pid === pid && event.data.ok === true) healthy = true;
      // The transition is recorded before its event is emitted; checking after it settles is enough.
      queueMicrotask(check);
    });
    if (!withHealth && spec.initGrace === 0) {
      timers.push(setTimeout(() => (record.pid === pid && record.status === 'running' ? finish({ ok: true }) : check()), RELOAD_SETTLE_MS));
    }
    const limit = readyTimeoutMs(spec, platform);
    timers.push(setTimeout(() => finish({ ok: false, reason: `not ready within ${limit} ms (status ${record.status})` }), limit));
    check();
  });
}

function describeLastExit(runner: InstanceRunner): string {
  const exit = runner.record.lastExit;
  if (!exit) return 'no exit status';
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}
