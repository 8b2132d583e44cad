import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readProcessExecutable } from '../../src/process/executable-path.ts';
import { isPidAlive, isPidRunning } from '../../src/process/is-alive.ts';
import { listDescendants } from '../../src/process/process-tree.ts';
import { readProcessStartTime } from '../../src/process/start-time.ts';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { FIXTURES } from '@owl/test-support/fixtures';

/** Starts a fixture (or a command) that writes a ready marker; SIGKILLs it by pid after the test. */
async function startReady(command: string, args: string[]): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'owl-identity-'));
  const marker = join(directory, 'marker.jsonl');
  const child = spawn(command, args, { env: { ...process.env, OWL_FIXTURE_MARKER: marker }, stdio: 'ignore' });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  });
  const ready = await waitForMarker(marker, 'ready');
  return ready.pid;
}

async function runToExit(fixture: string): Promise<number> {
  const child = spawn(process.execPath, [join(FIXTURES, fixture)], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? -1;
}

describe('readProcessStartTime', () => {
  it('is stable for one process and differs between two', async () => {
    const first = await startReady(process.execPath, [join(FIXTURES, 'forever.mjs')]);
    const second = await startReady(process.execPath, [join(FIXTURES, 'forever.mjs')]);
    const firstTime = await readProcessStartTime(first);
    expect(firstTime).toEqual(expect.any(String));
    expect(await readProcessStartTime(first)).toBe(firstTime);
    expect(await readProcessStartTime(second)).not.toBe(firstTime);
  });

  it('is null for a pid that no longer exists', async () => {
    const pid = await runToExit('exits-0.mjs');
    expect(await readProcessStartTime(pid)).toBeNull();
  });
});

describe('readProcessExecutable', () => {
  it('names the node binary a spawned node runs', async () => {
    const pid = await startReady(process.execPath, [join(FIXTURES, 'forever.mjs')]);
    expect(await readProcessExecutable(pid)).toBe(realpathSync(process.execPath));
  });

  it('is null for a pid that no longer exists', async () => {
    const pid = await runToExit('exits-0.mjs');
    expect(await readProcessExecutable(pid)).toBeNull();
  });
});

describe('isPidAlive and isPidRunning', () => {
  it('report a live process and a gone one', async () => {
    const pid = await startReady(process.execPath, [join(FIXTURES, 'forever.mjs')]);
    expect(isPidAlive(pid)).toBe(true);
    expect(await isPidRunning(pid)).toBe(true);
    const gone = await runToExit('exits-0.mjs');
    expect(isPidAlive(gone)).toBe(false);
    expect(await isPidRunning(gone)).toBe(false);
    expect(isPidAlive(0)).toBe(false);
    expect(isPidAlive(-1)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('counts a zombie as alive but not running', async () => {
    // sh forks `true`, then execs node, which never reaps a child it did not spawn: a zombie.
    const pid = await startReady('/bin/sh', ['-c', 'true & exec "$0" "$1"', process.execPath, join(FIXTURES, 'forever.mjs')]);
    const [zombie] = await waitFor(() => listDescendants(pid).then((pids) => (pids.length > 0 ? pids : null)));
    await waitFor(async () => !(await isPidRunning(zombie ?? -1)), { message: `child ${zombie} never exited` });
    expect(isPidAlive(zombie ?? -1)).toBe(true);
  });
});
