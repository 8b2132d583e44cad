import { describe, expect, it } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { events, startFixture, waitForApp } from '@owl/test-support/apps';

describe('restart policy', () => {
  it('relaunches an app killed with -9', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startFixture(home, 'victim', 'forever.mjs', [], ['--min-uptime', '100ms']);
    const before = await waitForApp(home, 'victim', (row) => row.status === 'running' && row.pid !== null);
    process.kill(before.pid as number, 'SIGKILL');
    const after = await waitForApp(home, 'victim', (row) => row.status === 'running' && row.pid !== null && row.pid !== before.pid);
    expect(after.restarts).toBe(1);
    expect(after.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  it('backs off a crash loop, spends the budget, then retries once per cooldown', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startFixture(home, 'loop', 'crash-after-n.mjs', [], ['--max-restarts', '3', '--backoff-initial', '100ms', '--backoff-max', '1s', '--cooldown', '1500ms']);
    await waitFor(async () => (await events(home, 'loop')).filter((event) => event.type === 'budget_spent').length >= 2, {
      timeoutMs: 20_000,
      message: 'the budget was never spent twice',
    });
    const all = await events(home, 'loop');
    const delays = all.filter((event) => event.type === 'state' && event.data.to === 'queued').map((event) => event.data.delayMs);
    expect(delays).toEqual([100, 200, 400]);
    const failed = all.filter((event) => event.type === 'state' && event.data.to === 'launch_failed');
    expect(failed[0]?.data.reason).toBe('restart budget spent: 4 consecutive failures (maxRestarts 3); next try in 1500 ms');
    // Exactly one retry between the two budget_spent events: the cooldown retry.
    const firstSpent = all.findIndex((event) => event.type === 'budget_spent');
    const secondSpent = all.findIndex((event, index) => index > firstSpent && event.type === 'budget_spent');
    const retries = all.slice(firstSpent, secondSpent).filter((event) => event.type === 'restart');
    expect(retries).toHaveLength(1);
    expect(failed[1]?.data.reason).toBe('restart budget spent: 5 consecutive failures (maxRestarts 3); next try in 1500 ms');
  });

  it('a run longer than minUptime resets the failure count and relaunches at once', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startFixture(home, 'steady', 'crash-after-n.mjs', ['300'], ['--max-restarts', '2', '--min-uptime', '100ms', '--backoff-initial', '50ms']);
    const row = await waitForApp(home, 'steady', (current) => current.restarts >= 4);
    expect(row.status).not.toBe('launch_failed');
    const delays = (await events(home, 'steady')).filter((event) => event.data.to === 'queued').map((event) => event.data.delayMs);
    expect(new Set(delays)).toEqual(new Set([0]));
  });

  it('policy on-failure leaves a clean exit alone', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startFixture(home, 'oneshot', 'exits-0.mjs', [], ['--restart-policy', 'on-failure']);
    const row = await waitForApp(home, 'oneshot', (current) => current.status === 'stopped');
    expect(row.restarts).toBe(0);
    expect(row.reason).toBe('exited with code 0; clean exit, restart policy is on-failure');
    expect(row.lastExit).toMatchObject({ code: 0, signal: null });
  });
});
