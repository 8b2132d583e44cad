import { linkSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { owlJson, readPid, runOwl } from '@owl/test-support/owl';
import { killMarked, killNine, markedProcesses, checkNeverTwice } from '../helpers/launched.ts';
import { listApps, waitForApp } from '@owl/test-support/apps';
import { fillFileSystem, mountSmallTmpfs } from '@owl/test-support/small-tmpfs';

/** A small tmpfs as OWL_HOME; at the end its daemon and apps are killed by pid, then it is unmounted. */
function mountSmallHome(): { home: string } | { skip: string } {
  const mounted = mountSmallTmpfs('3m', 'owl-full-', (home) => {
    try {
      process.kill(readPid(path.join(home, 'daemon.pid')), 'SIGKILL');
    } catch {
      // No daemon left.
    }
    killMarked(home);
  });
  return 'skip' in mounted ? mounted : { home: mounted.directory };
}

/**
 * Fills OWL_HOME until not a byte more fits. Replacing state.json.prev frees the old
 * generation's page, which would let a same-size state write succeed on a full disk (as on any
 * file system); a second link to it (as a snapshot or backup would hold) keeps that page taken.
 */
function fillUp(home: string): void {
  linkSync(path.join(home, 'state.json.prev'), path.join(home, 'held-prev'));
  fillFileSystem(path.join(home, 'filler'));
}

function freeUp(home: string): void {
  rmSync(path.join(home, 'filler'));
  rmSync(path.join(home, 'held-prev'));
}

describe('OWL_HOME on a full disk', () => {
  it('failed calls exit 1 with OWL_STATE_WRITE_FAILED, supervision goes on, everything catches up when space returns', { timeout: 180_000 }, async (context) => {
    const mount = mountSmallHome();
    if ('skip' in mount) {
      console.warn(mount.skip);
      context.skip();
      return;
    }
    const { home } = mount;
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    for (const name of ['keep', 'halt']) {
      expect((await runOwl(['start', '--name', name, '--', 'sleep', '100000'], { home })).code).toBe(0);
    }
    const keep = await waitForApp(home, 'keep', (row) => row.status === 'running');
    fillUp(home);

    // Operators keep working: each call that changes intent fails, saying why, with exit 1.
    const stop = await runOwl(['stop', 'halt'], { home });
    expect(stop.code).toBe(1);
    expect(stop.stderr).toContain(`cannot save the new state to ${path.join(home, 'state.json')}: ENOSPC`);
    expect(stop.stderr).toContain('retries the write until it lands');
    const create = await runOwl(['start', '--name', 'late', '--', 'sleep', '100000'], { home });
    expect(create.code).toBe(1);
    expect(create.stderr).toContain('ENOSPC');
    const status = await owlJson<{ homeWrites: Array<{ file: string; error: string }> }>(['daemon', 'status'], home);
    expect(status.homeWrites.map((failing) => failing.file)).toContain(path.join(home, 'state.json'));
    expect((await runOwl(['daemon', 'status'], { home })).stdout).toMatch(/WARNING {2}cannot write .*state\.json since .*ENOSPC/);

    // Supervision goes on: the changes are in effect, and a crash is still relaunched.
    await waitForApp(home, 'halt', (row) => row.status === 'stopped');
    await waitForApp(home, 'late', (row) => row.status === 'running');
    process.kill(keep.pid as number, 'SIGKILL');
    await waitForApp(home, 'keep', (row) => row.status === 'running' && row.pid !== keep.pid);
    expect(checkNeverTwice(home, await listApps(home))).toEqual([]);
    // A retry in flight has its temp file for an instant; none may stay.
    await waitFor(() => readdirSync(home).every((name) => !name.endsWith('.tmp')), { message: 'temp files stay behind' });

    // Space returns: state, audit and daemon log catch up by themselves.
    freeUp(home);
    await waitFor(async () => (await owlJson<{ homeWrites: unknown[] }>(['daemon', 'status'], home)).homeWrites.length === 0, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: 'the daemon never reported its writes landing again',
    });
    const state = JSON.parse(readFileSync(path.join(home, 'state.json'), 'utf8')) as { apps: Record<string, { override: { run: boolean } | null }> };
    expect(state.apps.halt?.override?.run).toBe(false);
    expect(Object.keys(state.apps).sort()).toEqual(['halt', 'keep', 'late']);
    const verify = await runOwl(['audit', 'verify'], { home });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const audit = readFileSync(path.join(home, 'audit.log'), 'utf8');
    expect(audit).toContain('"type":"audit_write_failed"');
    await waitFor(() => readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8').includes('written again'), { message: 'daemon.log never resumed' });
    // The log stream lives on, no line torn (its own failures: test/log/daemon-log.test.ts).
    const daemonLog = readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8');
    expect(daemonLog.split('\n').filter((line) => line !== '' && !/^\d{4}-\d\d-\d\dT[\d:.]+Z (info|warn|error) /.test(line))).toEqual([]);
    await waitFor(() => readdirSync(home).every((name) => !name.endsWith('.tmp')), { message: 'temp files stay behind' });

    // A daemon killed now comes back with the newest intent: halt stays stopped, nothing runs twice.
    await killNine(readPid(path.join(home, 'daemon.pid')));
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const rows = await listApps(home);
    expect(rows.map((row) => [row.name, row.status]).sort()).toEqual([
      ['halt', 'stopped'],
      ['keep', 'running'],
      ['late', 'running'],
    ]);
    expect(checkNeverTwice(home, rows)).toEqual([]);
    expect((await runOwl(['daemon', 'stop', '--with-apps'], { home })).code).toBe(0);
    expect(markedProcesses(home)).toEqual([]);
  });

  it('a daemon killed while the disk is full comes back with the last intent that reached the disk', { timeout: 120_000 }, async (context) => {
    const mount = mountSmallHome();
    if ('skip' in mount) {
      console.warn(mount.skip);
      context.skip();
      return;
    }
    const { home } = mount;
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    expect((await runOwl(['start', '--name', 'web', '--', 'sleep', '100000'], { home })).code).toBe(0);
    expect((await runOwl(['stop', 'web'], { home })).code).toBe(0);
    fillUp(home);
    // Not acknowledged (exit 1) and the daemon dies before the retry lands: the start is not kept.
    expect((await runOwl(['start', 'web'], { home })).code).toBe(1);
    await waitForApp(home, 'web', (row) => row.status === 'running');
    await killNine(readPid(path.join(home, 'daemon.pid')));
    freeUp(home);
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    // The acknowledged stop is what the disk holds; the running copy is adopted by its marker and stopped.
    const rows = await waitFor(async () => {
      const current = await listApps(home);
      return current.every((row) => row.status === 'stopped') ? current : undefined;
    });
    expect(checkNeverTwice(home, rows)).toEqual([]);
    expect(markedProcesses(home)).toEqual([]);
    expect((await runOwl(['daemon', 'stop'], { home })).code).toBe(0);
  });
});
