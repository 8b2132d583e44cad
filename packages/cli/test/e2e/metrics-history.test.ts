import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MetricsResult } from '@owl/rpc/contract';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { owlJson, runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture } from '@owl/test-support/apps';

const FAST_TICK = { OWL_METRICS_INTERVAL_MS: '200' };

async function startDaemon(home: string): Promise<void> {
  const started = await runOwl(['daemon', 'start'], { home, env: FAST_TICK });
  expect(started.code, started.stderr).toBe(0);
}

function daemonLog(home: string): string {
  return readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8');
}

describe('metrics history across daemon restarts', () => {
  it('keeps the host and app history when the daemon stops and starts again', async () => {
    const home = tempHome();
    await startDaemon(home);
    await startFixture(home, 'steady', 'forever.mjs', [], []);
    const before = await waitFor(
      async () => {
        const result = await owlJson<MetricsResult>(['metrics', 'steady', '--since', '7d'], home);
        return result.host.history.length > 0 && (result.apps[0]?.history.length ?? 0) > 0 ? result : undefined;
      },
      { message: 'no history before the restart' },
    );

    expect((await runOwl(['daemon', 'stop'], { home })).code).toBe(0);
    expect(daemonLog(home)).not.toContain('cannot save metrics history');
    await startDaemon(home);
    const after = await waitFor(async () => {
      const result = await owlJson<MetricsResult>(['metrics', 'steady', '--since', '7d'], home);
      return result.host.history.length > 0 ? result : undefined;
    });
    // The first 10-minute bucket from before the restart is still there, with the app's.
    expect(after.host.history[0]?.at).toBe(before.host.history[0]?.at);
    expect(after.apps[0]?.history[0]?.at).toBe(before.apps[0]?.history[0]?.at);
    expect(daemonLog(home)).toContain('metrics history loaded: 2 of 2 series');
  });

  it('starts over, with a warning, from a history file that is not one', async () => {
    const home = tempHome();
    writeFileSync(path.join(home, 'metrics-history.bin'), 'not metrics at all');
    await startDaemon(home);
    await waitFor(() => daemonLog(home).includes('metrics history'), { message: 'the daemon never looked at the history file' });
    expect(daemonLog(home)).toContain(`metrics history ${path.join(home, 'metrics-history.bin')} not loaded, starting over: not an owl metrics history file`);
    const result = await waitFor(async () => {
      const current = await owlJson<MetricsResult>(['metrics'], home);
      return current.host.history.length > 0 ? current : undefined;
    });
    expect(result.host.cpu).not.toBeNull();
  });
});
