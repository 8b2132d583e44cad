import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { isAlive, owlJson, runOwl, tempHome } from '@owl/test-support/owl';
import { listApps, waitForApp } from '@owl/test-support/apps';
import { killMarked, markedProcesses } from '../helpers/launched.ts';

/** Runs apps, stops the daemon (apps keep running) and loses both state files. */
async function loseStateWithAppsRunning(home: string, names: string[]): Promise<number[]> {
  expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
  const pids: number[] = [];
  for (const name of names) {
    expect((await runOwl(['start', '--name', name, '--', 'sleep', '100000'], { home })).code).toBe(0);
    pids.push((await waitForApp(home, name, (row) => row.status === 'running')).pid as number);
  }
  expect((await runOwl(['daemon', 'stop'], { home })).code).toBe(0);
  rmSync(path.join(home, 'state.json'));
  rmSync(path.join(home, 'state.json.prev'));
  expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
  return pids;
}

describe('orphans: children owl started that no app wants', () => {
  it('with both state files lost, owl ls shows them as orphans and owl stop --orphans stops them', async () => {
    const home = tempHome();
    onTestFinished(() => killMarked(home));
    const pids = await loseStateWithAppsRunning(home, ['web', 'worker']);
    const rows = await listApps(home);
    expect(rows.map((row) => [row.name, row.instance, row.status, row.pid]).sort()).toEqual([
      ['web', 0, 'orphan', pids[0]],
      ['worker', 0, 'orphan', pids[1]],
    ]);
    expect(rows[0]?.reason).toContain('wanted by no app; stop it with "owl stop --orphans"');
    const table = await runOwl(['ls'], { home });
    expect(table.stdout).toMatch(/^web +orphan +\d+/m);
    // Never stopped behind the operator's back: still running until asked.
    for (const pid of pids) expect(isAlive(pid)).toBe(true);
    const stopped = await owlJson<{ pids: number[] }>(['stop', '--orphans'], home);
    expect(stopped.pids.sort()).toEqual([...pids].sort());
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(await listApps(home)).toEqual([]);
    expect(markedProcesses(home)).toEqual([]);
    const usage = await runOwl(['stop', 'web', '--orphans'], { home });
    expect(usage.code).toBe(2);
  });

  it('owl daemon stop --with-apps stops orphans too', async () => {
    const home = tempHome();
    onTestFinished(() => killMarked(home));
    const [pid] = await loseStateWithAppsRunning(home, ['lost']);
    expect((await listApps(home)).map((row) => row.status)).toEqual(['orphan']);
    expect((await runOwl(['daemon', 'stop', '--with-apps'], { home })).code).toBe(0);
    await waitFor(() => !isAlive(pid as number), { message: `orphan ${pid} survived daemon stop --with-apps` });
    expect(markedProcesses(home)).toEqual([]);
  });
});
