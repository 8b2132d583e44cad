import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readMarkers, waitFor } from '@owl/test-support/wait-for';
import { isAlive, readPid, runOwl, tempHome } from '@owl/test-support/owl';
import { listApps, waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';

async function killDaemon9(home: string): Promise<number> {
  const pid = readPid(path.join(home, 'daemon.pid'));
  process.kill(pid, 'SIGKILL');
  await waitFor(() => !isAlive(pid), { message: `daemon ${pid} survived SIGKILL` });
  return pid;
}

describe('apps survive the daemon', () => {
  it('kill -9 of the daemon leaves 20 apps running; the next daemon adopts all, starting none twice', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const config = {
      apps: Array.from({ length: 20 }, (_, index) => ({
        name: `app${index}`,
        command: process.execPath,
        args: [fixture('forever.mjs')],
        env: { OWL_FIXTURE_MARKER: path.join(home, `marker-${index}.jsonl`) },
      })),
    };
    const file = path.join(home, 'owl.config.json');
    writeFileSync(file, JSON.stringify(config));
    expect((await runOwl(['apply', '-f', file], { home })).code).toBe(0);
    const before = await waitFor(async () => {
      const rows = await listApps(home);
      return rows.length === 20 && rows.every((row) => row.status === 'running') ? rows : undefined;
    });
    await waitFor(async () => (await Promise.all(config.apps.map((_, index) => readMarkers(path.join(home, `marker-${index}.jsonl`))))).every((markers) => markers.length === 1));

    await killDaemon9(home);
    for (const row of before) expect(isAlive(row.pid as number)).toBe(true);

    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const after = await listApps(home);
    expect(after.map((row) => [row.name, row.status, row.pid])).toEqual(before.map((row) => [row.name, 'running', row.pid]));
    // Each app's code ran exactly once: nothing was started a second time.
    for (let index = 0; index < 20; index += 1) {
      expect(await readMarkers(path.join(home, `marker-${index}.jsonl`))).toHaveLength(1);
    }
  });

  it('owl daemon stop leaves apps running; an app that died meanwhile is relaunched by policy', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    for (const name of ['keeps', 'dies']) {
      const result = await runOwl(['start', '--name', name, '--', process.execPath, fixture('forever.mjs')], { home });
      expect(result.code).toBe(0);
    }
    const keeps = await waitForApp(home, 'keeps', (row) => row.status === 'running');
    const dies = await waitForApp(home, 'dies', (row) => row.status === 'running');
    expect((await runOwl(['daemon', 'stop'], { home })).code).toBe(0);
    expect(isAlive(keeps.pid as number)).toBe(true);
    process.kill(dies.pid as number, 'SIGKILL');
    await waitFor(() => !isAlive(dies.pid as number));

    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    expect((await waitForApp(home, 'keeps', (row) => row.status === 'running')).pid).toBe(keeps.pid);
    const relaunched = await waitForApp(home, 'dies', (row) => row.status === 'running' && row.pid !== dies.pid);
    expect(relaunched.restarts).toBe(1);
  });

  it('a recorded pid now held by an unrelated process is neither adopted nor touched', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    expect((await runOwl(['start', '--name', 'svc', '--', process.execPath, fixture('forever.mjs')], { home })).code).toBe(0);
    const original = await waitForApp(home, 'svc', (row) => row.status === 'running');
    expect((await runOwl(['daemon', 'stop', '--with-apps'], { home })).code).toBe(0);
    expect(isAlive(original.pid as number)).toBe(false);

    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    onTestFinished(() => {
      stranger.kill('SIGKILL');
    });
    await new Promise((resolve) => stranger.once('spawn', resolve));
    // Pretend the pid was reused: the state now names the stranger's pid, with the old start time.
    const stateFile = path.join(home, 'state.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    state.apps.svc.instances[0].pid = stranger.pid;
    state.apps.svc.instances[0].status = 'running';
    writeFileSync(stateFile, JSON.stringify(state));

    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const row = await waitForApp(home, 'svc', (current) => current.status === 'running' && current.pid !== stranger.pid);
    expect(row.pid).not.toBe(stranger.pid);
    expect(isAlive(stranger.pid as number)).toBe(true);
  });
});
