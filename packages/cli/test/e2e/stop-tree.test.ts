import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMarkers, waitFor } from '@owl/test-support/wait-for';
import { isAlive, runOwl, tempHome } from '@owl/test-support/owl';
import { waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';

describe('owl stop', () => {
  it('kills a tree that ignores SIGTERM, grandchildren included (setsid too), after the timeout', async () => {
    const home = tempHome();
    const marker = path.join(home, 'tree.jsonl');
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const started = await runOwl(
      ['start', '--name', 'tree', '--stop-timeout', '500ms', '--env', `OWL_FIXTURE_MARKER=${marker}`, '--', process.execPath, fixture('spawns-grandchild.mjs'), '--ignore-sigterm', '--setsid'],
      { home },
    );
    expect(started.code).toBe(0);
    const ready = await waitFor(async () => (await readMarkers(marker)).find((entry) => entry.event === 'ready'));
    const pids = [ready.pid, ready.childPid as number, ready.grandchildPid as number];
    for (const pid of pids) expect(isAlive(pid)).toBe(true);

    const stopped = await runOwl(['stop', 'tree'], { home });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toBe('stopped: tree\n');
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    // It was asked politely first.
    expect((await readMarkers(marker)).some((entry) => entry.event === 'signal')).toBe(true);
    const row = await waitForApp(home, 'tree', (current) => current.status === 'stopped');
    expect(row.pid).toBeNull();
  });
});
