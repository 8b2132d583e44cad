import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import type { MetricsResult } from '@owl/rpc/contract';
import { describe, expect, it } from 'vitest';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { owlJson, runOwl, tempHome } from '@owl/test-support/owl';
import { appRow, events, startFixture, waitForApp } from '@owl/test-support/apps';

const MB = 1024 * 1024;
// A fast tick so the test sees samples within a second; read once by the daemon at start.
const FAST_TICK = { OWL_METRICS_INTERVAL_MS: '200' };

async function startDaemon(home: string): Promise<void> {
  const started = await runOwl(['daemon', 'start'], { home, env: FAST_TICK });
  expect(started.code, started.stderr).toBe(0);
}

describe('metrics', () => {
  it('measures the whole process tree of an app that holds memory and burns CPU, and the host; refuses bad queries', async () => {
    const home = tempHome();
    await startDaemon(home);
    const marker = path.join(home, 'hog.jsonl');
    // 64 MB in the app and 32 MB in its child: the tree holds at least 96 MB.
    await startFixture(home, 'hog', 'allocates-memory.mjs', ['64', '--child', '32', '--burn'], ['--env', `OWL_FIXTURE_MARKER=${marker}`]);
    const ready = await waitForMarker(marker, 'ready');

    const result = await waitFor(
      async () => {
        const current = await owlJson<MetricsResult>(['metrics', 'hog'], home);
        const app = current.apps[0];
        // Host values arrive in the background: the first ticks may not carry them yet.
        const hostReady = current.host.disks.length > 0 && current.host.cpu !== null && current.host.history.length > 0;
        return app && app.processes === 2 && (app.cpu ?? 0) > 1 && hostReady ? current : undefined;
      },
      { timeoutMs: 20_000, message: 'metrics never showed the two-process tree burning CPU' },
    );
    const app = result.apps[0] as MetricsResult['apps'][number];
    expect(app).toMatchObject({ name: 'hog', instance: 0, pid: ready.pid, processes: 2 });
    // Two Node runtimes add well under 200 MB each on top of what the fixture holds.
    expect(app.memory).toBeGreaterThanOrEqual(96 * MB);
    expect(app.memory).toBeLessThan(96 * MB + 400 * MB);
    expect(app.cpu).toBeLessThanOrEqual(100 * cpus().length);
    expect(app.history.length).toBeGreaterThan(0);
    expect(app.summary?.memoryMax).toBeGreaterThanOrEqual(96 * MB);

    expect(result.intervalMs).toBe(200);
    expect(result.resolutionMs).toBe(5_000);
    expect(result.host.cores).toBe(cpus().length);
    expect(result.host.memory?.total).toBe(totalmem());
    expect(result.host.cpu).toBeGreaterThanOrEqual(0);
    expect(result.host.cpu).toBeLessThanOrEqual(100);
    expect(result.host.history.length).toBeGreaterThan(0);

    // `owl ls` shows the tree's usage from the latest tick.
    const row = await appRow(home, 'hog');
    expect(row?.memory).toBeGreaterThanOrEqual(96 * MB);
    expect(row?.cpu).not.toBeNull();

    const human = await runOwl(['metrics'], { home });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^HOST {2}cpu /);
    expect(human.stdout).toMatch(/\nNAME +PID +PROCS +CPU +MEMORY +CPU AVG 1h +CPU MAX +MEM AVG +MEM MAX\nhog +\d+ +2 +/);

    const unknown = await runOwl(['metrics', 'nope'], { home });
    expect(unknown).toMatchObject({ code: 5, stdout: '', stderr: 'owl: app "nope" not found\n' });
    const tooFar = await runOwl(['metrics', '--since', '8d'], { home });
    expect(tooFar).toMatchObject({
      code: 2,
      stderr: 'owl: invalid params for "metrics.get": since: expected a duration of at most 604800000 ms, received "8d"\n',
    });
  });

  it('restarts an app whose tree stays above maxMemory, counting it against the restart budget', async () => {
    const home = tempHome();
    await startDaemon(home);
    await startFixture(home, 'leaky', 'allocates-memory.mjs', ['160'], ['--max-memory', '100MB', '--max-restarts', '1', '--backoff-initial', '100ms']);
    const failed = await waitForApp(home, 'leaky', (row) => row.status === 'launch_failed', 30_000);
    expect(failed.reason).toBe('restart budget spent: 2 consecutive failures (maxRestarts 1); next try in 600000 ms');
    expect(failed.restarts).toBe(1);

    const all = await events(home, 'leaky');
    const kills = all.filter((event) => event.type === 'max_memory');
    expect(kills).toHaveLength(2);
    expect(kills[0]?.data.limit).toBe(100 * MB);
    expect(kills[0]?.data.memory).toBeGreaterThan(100 * MB);
    expect(kills[0]?.data.reason).toMatch(/^process tree uses \d+\.\d MB, above maxMemory 100\.0 MB$/);
    const queued = all.find((event) => event.type === 'state' && event.data.to === 'queued');
    expect(queued?.data.reason).toBe(`${kills[0]?.data.reason as string}; relaunch in 100 ms`);
    // Killed politely (the stop signal), as a restart would.
    expect(failed.lastExit?.signal).toBe('SIGTERM');
  });
});
