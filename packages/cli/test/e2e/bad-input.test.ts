import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { listApps, waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';

describe('bad input gets a clear error, the right exit code, and disturbs nothing', () => {
  it('covers names, durations, unknown apps, config files and missing commands', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    expect((await runOwl(['start', '--name', 'steady', '--', process.execPath, fixture('forever.mjs')], { home })).code).toBe(0);
    const steady = await waitForApp(home, 'steady', (row) => row.status === 'running');

    const badName = await runOwl(['start', '--name', 'bad name!', '--', 'node'], { home });
    expect(badName.code).toBe(2);
    expect(badName.stderr).toBe('owl: --name: expected 1-64 characters of letters, digits, ".", "_" or "-", received "bad name!"\n');

    const badDuration = await runOwl(['start', '--name', 'x', '--min-uptime', '10 parsecs', '--', 'node'], { home });
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toBe('owl: --min-uptime: expected a duration like "500ms", "10s", "5m" or milliseconds, received "10 parsecs"\n');

    const badNumber = await runOwl(['start', '--name', 'x', '--max-restarts', 'lots', '--', 'node'], { home });
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toBe('owl: --max-restarts: expected a number, received "lots"\n');

    const unknown = await runOwl(['stop', 'nope'], { home });
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toBe('owl: app "nope" not found\n');

    const describeUnknown = await runOwl(['describe', 'nope'], { home });
    expect(describeUnknown.code).toBe(5);

    const file = path.join(home, 'owl.config.json');
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'ok', command: 'node' }, { name: 'broken', command: 'node', restart: { maxRestarts: 'ten' } }] }));
    const badConfig = await runOwl(['apply', '-f', file], { home });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain(file);
    expect(badConfig.stderr).toContain('apps[1].restart.maxRestarts');

    const missingFile = await runOwl(['apply', '-f', path.join(home, 'nope.json')], { home });
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain(path.join(home, 'nope.json'));

    const notFound = await runOwl(['start', '--name', 'ghost', '--', 'no-such-command-owl'], { home });
    expect(notFound.code).toBe(0);
    const ghost = await waitForApp(home, 'ghost', (row) => row.status === 'launch_failed');
    expect(ghost.reason).toMatch(/^executable "no-such-command-owl" not found/);
    expect(ghost.restarts).toBe(0);

    // Nothing already running was disturbed, and nothing half-created is left behind.
    const rows = await listApps(home);
    expect(rows.find((row) => row.name === 'steady')).toMatchObject({ status: 'running', pid: steady.pid, restarts: 0 });
    expect(rows.map((row) => row.name).sort()).toEqual(['ghost', 'steady']);
  });
});
