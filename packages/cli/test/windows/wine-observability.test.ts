import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { startWineDaemon, toWinePath, windowsNode, wineUnavailableReason } from '../helpers/wine.ts';
import { fixture } from '@owl/test-support/fixtures';

const unavailable = wineUnavailableReason();
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);

const FLOOD_LINES = 40_000;
const MB = 1024 * 1024;
const ALLOCATES_MEMORY = fixture('allocates-memory.mjs');

/** The live file and its rotated generations, oldest first. */
function readGenerations(directory: string, base: string): string[] {
  const rotated = readdirSync(directory)
    .map((name) => ({ name, generation: Number(new RegExp(`^${base}\\.(\\d+)$`).exec(name)?.[1]) }))
    .filter((entry) => Number.isInteger(entry.generation))
    .sort((a, b) => b.generation - a.generation);
  return [...rotated.map((entry) => entry.name), base].map((name) => readFileSync(path.join(directory, name), 'utf8'));
}

describe.skipIf(unavailable !== null)('Windows build of owl under Wine: observability', () => {
  it('rotates the log of a running cmd.exe flood by suspending its writers, losing and repeating no line', async () => {
    const daemon = await startWineDaemon();
    onTestFinished(() => daemon.dispose());
    const flags = ['--restart-policy', 'never', '--log-max-size', '64KB', '--log-keep', '50'];
    const started = await daemon.owl('start', '--name', 'flood', ...flags, '--', 'cmd.exe', '/c', `for /L %i in (1,1,${FLOOD_LINES}) do @echo line %i`);
    expect(started.code).toBe(0);
    await waitFor(async () => (await daemon.list()).find((row) => row.name === 'flood' && row.status === 'stopped'), { timeoutMs: 120_000, intervalMs: 500 });

    const logs = path.join(daemon.home, 'logs', 'flood');
    const generations = readGenerations(logs, 'out.log');
    // Wine (not Windows) appends by seeking to the end and then writing, and may suspend a
    // thread between the two: its write then lands at the old end of the truncated file,
    // leaving a run of NUL bytes before it. Windows positions append-only writes at the end
    // inside the file system, where a suspension cannot split them. The lines must all be there.
    const lines = generations.join('').replaceAll('\0', '').split('\r\n');
    expect(lines.pop()).toBe('');
    const firstWrong = lines.findIndex((line, index) => line !== `line ${index + 1}`);
    const daemonLog = readFileSync(path.join(daemon.home, 'logs', 'daemon.log'), 'utf8');
    const around = JSON.stringify(lines.slice(Math.max(0, firstWrong - 3), firstWrong + 4));
    const sizes = generations.map((text) => text.length).join(', ');
    expect(firstWrong, `line ${firstWrong + 1} is wrong: ${around}; generation sizes ${sizes}\n${daemonLog}`).toBe(-1);
    expect(lines.length).toBe(FLOOD_LINES);
    // Rotated while the app ran (writers suspended), not after it stopped.
    const rotations = daemonLog.match(/logs: rotated \S+out\.log \(\d+ bytes; [1-9]\d* writers paused/g) ?? [];
    expect(rotations.length).toBeGreaterThanOrEqual(2);
    expect(generations.length).toBeGreaterThanOrEqual(3);
  }, 240_000);

  it('stalls an app whose window hangs, recovers it, and relaunches it when it stays hung past killAfter', async () => {
    const daemon = await startWineDaemon({ OWL_METRICS_INTERVAL_MS: '1000' });
    onTestFinished(() => daemon.dispose());
    // The fixture needs koffi: it sits beside the installed owl, as an app of the user would.
    const fixture = path.join(daemon.wine.prefix, 'owl', 'hangable-window.cjs');
    copyFileSync(path.join(import.meta.dirname, 'fixtures', 'hangable-window.cjs'), fixture);
    const control = path.join(daemon.home, 'hang-pids');
    const marker = path.join(daemon.home, 'window.jsonl');
    const flags = ['--env', `OWL_FIXTURE_MARKER=${toWinePath(marker)}`, '--health-window-responsive'];
    flags.push('--health-interval', '500ms', '--stall-after', '2', '--kill-after', '12s', '--init-grace', '1s');
    const started = await daemon.owl('start', '--name', 'gui', ...flags, '--', toWinePath(windowsNode()), toWinePath(fixture), toWinePath(control));
    expect(started.code).toBe(0);
    const { pid } = await waitForMarker(marker, 'ready', { timeoutMs: 60_000 }).catch((error: unknown) => {
      // Under Wine the why is in the daemon's log (a window that cannot be created, a missing module).
      throw new Error(`${(error as Error).message}\n${readFileSync(path.join(daemon.home, 'logs', 'daemon.log'), 'utf8')}`);
    });
    await waitFor(async () => (await daemon.list()).find((row) => row.status === 'running'), { timeoutMs: 30_000, intervalMs: 500 });

    writeFileSync(control, `${pid}\n`);
    const stalled = await waitFor(async () => (await daemon.list()).find((row) => row.status === 'stalled'), { timeoutMs: 30_000, intervalMs: 500 });
    expect(stalled.pid).toBe(pid);
    writeFileSync(control, '');
    const recovered = await waitFor(async () => (await daemon.list()).find((row) => row.status === 'running'), { timeoutMs: 30_000, intervalMs: 500 });
    expect(recovered).toMatchObject({ pid, restarts: 0 });

    writeFileSync(control, `${pid}\n`);
    const relaunched = await waitFor(async () => (await daemon.list()).find((row) => row.status === 'running' && row.pid !== pid), { timeoutMs: 60_000, intervalMs: 500 });
    expect(relaunched.restarts).toBe(1);
    const events = (await daemon.owl('events', '--app', 'gui', '-n', '200', '--json')).output;
    expect(events).toContain(`the window of pid ${pid} is not responding`);
  }, 240_000);

  it('measures the memory of a two-process tree with kernel counters and restarts it above maxMemory', async () => {
    const daemon = await startWineDaemon({ OWL_METRICS_INTERVAL_MS: '1000' });
    onTestFinished(() => daemon.dispose());
    const node = toWinePath(windowsNode());
    expect((await daemon.owl('start', '--name', 'hog', '--', node, toWinePath(ALLOCATES_MEMORY), '96', '--child', '48')).code).toBe(0);
    interface AppMetrics { name: string; processes: number; cpu: number | null; memory: number | null }
    const hog = await waitFor(
      async () => {
        const apps = (JSON.parse((await daemon.owl('metrics', 'hog', '--json')).output) as { apps: AppMetrics[] }).apps;
        return apps.find((app) => app.processes >= 2 && (app.memory ?? 0) >= 144 * MB);
      },
      { timeoutMs: 60_000, intervalMs: 1_000, message: 'metrics never showed both processes holding their 144 MB' },
    );
    // Wine does not keep other processes' CPU clocks the way Windows does: only presence is checked.
    expect(hog.cpu).toBeGreaterThanOrEqual(0);

    const flags = ['--max-memory', '200MB', '--max-restarts', '0'];
    expect((await daemon.owl('start', '--name', 'leaky', ...flags, '--', node, toWinePath(ALLOCATES_MEMORY), '160', '--child', '80')).code).toBe(0);
    const failed = await waitFor(async () => (await daemon.list()).find((row) => row.name === 'leaky' && row.status === 'launch_failed'), { timeoutMs: 90_000, intervalMs: 1_000 });
    expect(failed.pid).toBeNull();
    const events = (await daemon.owl('events', '--app', 'leaky', '-n', '200', '--json')).output;
    expect(events).toMatch(/process tree uses \d+\.\d MB, above maxMemory 200\.0 MB/);
  }, 240_000);
});
