import type { AppStatus } from '@owl/rpc/contract';
import { onTestFinished, describe, expect, it } from 'vitest';
import { HealthMonitor, type HealthVerdict, type MonitoredInstance } from '../../src/health/health-monitor.ts';
import type { HealthSpec } from '../../src/health/instance-probe.ts';
import type { EventInput } from '../../src/events/event-bus.ts';
import { waitFor } from '@owl/test-support/wait-for';

/** An instance that follows the runner's rules for health verdicts and records the hung ones (kills). */
class FakeInstance implements MonitoredInstance {
  readonly name = 'web';
  readonly record: { index: number; pid: number | null; status: AppStatus } = { index: 0, pid: 42, status: 'running' };
  readonly statuses: AppStatus[] = [];
  readonly kills: Array<Extract<HealthVerdict, { kind: 'hung' }>> = [];

  reportHealth(verdict: HealthVerdict): void {
    if (verdict.kind === 'hung') {
      this.kills.push(verdict);
      this.record.pid = null;
      this.record.status = 'queued';
      return;
    }
    const healthy = verdict.kind === 'passing';
    const next = !healthy && this.record.status === 'running' ? 'stalled' : healthy && this.record.status === 'stalled' ? 'running' : undefined;
    if (next) this.statuses.push((this.record.status = next));
  }
}

function monitor(health: Partial<HealthSpec>, verdicts: { ok: boolean }) {
  const instance = new FakeInstance();
  const events: EventInput[] = [];
  let checks = 0;
  const spec: HealthSpec = { interval: 10, timeout: 1_000, stallAfter: 2, killAfter: 60_000, http: 'http://127.0.0.1/', ...health };
  const subject = new HealthMonitor({
    instance,
    pid: 42,
    health: spec,
    probe: async () => {
      checks += 1;
      return { ok: verdicts.ok, detail: verdicts.ok ? 'fine' : `down #${checks}` };
    },
    emit: (event) => events.push(event),
    logError: (message) => {
      throw new Error(message);
    },
  });
  subject.start();
  onTestFinished(() => subject.dispose());
  return { instance, events, checks: () => checks };
}

describe('HealthMonitor', () => {
  it('stalls after stallAfter failures in a row and recovers on the next pass', async () => {
    const verdicts = { ok: false };
    const { instance, events } = monitor({ stallAfter: 3 }, verdicts);
    await waitFor(() => instance.record.status === 'stalled');
    verdicts.ok = true;
    await waitFor(() => instance.record.status === 'running');
    expect(instance.statuses).toEqual(['stalled', 'running']);
    expect(instance.kills).toEqual([]);
    // One event per change between failing and passing, not one per check.
    expect(events.map((event) => [event.type, event.data?.ok])).toEqual([['health', false], ['health', true]]);
    expect(events[0]?.data).toEqual({ ok: false, detail: 'down #1', pid: 42 });
  });

  it('does not stall on fewer failures than stallAfter', async () => {
    const verdicts = { ok: false };
    const { instance, checks } = monitor({ stallAfter: 3 }, verdicts);
    await waitFor(() => checks() >= 2);
    verdicts.ok = true;
    await waitFor(() => checks() >= 5);
    expect(instance.statuses).toEqual([]);
  });

  it('kills and relaunches a stall that outlasts killAfter', async () => {
    const { instance } = monitor({ stallAfter: 2, killAfter: 50 }, { ok: false });
    await waitFor(() => instance.kills.length > 0);
    expect(instance.statuses).toEqual(['stalled']);
    expect(instance.kills).toHaveLength(1);
    expect(instance.kills[0]).toMatchObject({ kind: 'hung', pid: 42, killAfter: 50 });
    expect(instance.kills[0]?.lastCheck).toMatch(/^down #\d+$/);
  });
});
