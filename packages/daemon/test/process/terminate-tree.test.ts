import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isPidRunning } from '../../src/process/is-alive.ts';
import { terminateTree } from '../../src/process/terminate-tree.ts';
import { readMarkers, waitFor, waitForMarker, type FixtureMarker } from '@owl/test-support/wait-for';
import { FIXTURES } from '@owl/test-support/fixtures';

interface StartedTree {
  child: ChildProcess;
  ready: FixtureMarker;
  pids: number[];
}

/**
 * Starts a fixture detached (leading its own process group, as the supervisor does) and
 * SIGKILLs every pid it reported after the test, in case terminateTree failed.
 */
async function startDetached(fixture: string, args: string[] = []): Promise<StartedTree> {
  const directory = await mkdtemp(join(tmpdir(), 'owl-terminate-'));
  const marker = join(directory, 'marker.jsonl');
  const child = spawn(process.execPath, [join(FIXTURES, fixture), ...args], {
    env: { ...process.env, OWL_FIXTURE_MARKER: marker },
    stdio: 'ignore',
    detached: true,
  });
  onTestFinished(async () => {
    for (const ready of await readMarkers(marker)) {
      for (const pid of [ready.grandchildPid, ready.childPid]) {
        if (typeof pid === 'number' && (await isPidRunning(pid))) process.kill(pid, 'SIGKILL');
      }
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  });
  const ready = await waitForMarker(marker, 'ready');
  const pids = [ready.pid, ready.childPid, ready.grandchildPid].filter((pid): pid is number => typeof pid === 'number');
  return { child, ready, pids };
}

async function runningPids(pids: readonly number[]): Promise<number[]> {
  const running = await Promise.all(pids.map((pid) => isPidRunning(pid)));
  return pids.filter((_, index) => running[index]);
}

describe.skipIf(process.platform === 'win32')('terminateTree (POSIX)', () => {
  it('stops a cooperative process with the polite signal, without force', async () => {
    const { child, pids } = await startDetached('forever.mjs');
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    expect(await terminateTree(child.pid ?? -1, { signal: 'SIGTERM', timeoutMs: 10_000, processGroup: true })).toEqual({ forced: false });
    expect(await exited).toBe('SIGTERM');
    expect(await runningPids(pids)).toEqual([]);
  });

  it('stops a cooperative tree whose grandchild called setsid, without force', async () => {
    const { child, pids } = await startDetached('spawns-grandchild.mjs', ['--setsid']);
    expect(pids).toHaveLength(3);
    expect(await terminateTree(child.pid ?? -1, { signal: 'SIGTERM', timeoutMs: 10_000, processGroup: true })).toEqual({ forced: false });
    expect(await runningPids(pids)).toEqual([]);
  });

  it('kills a tree that ignores SIGTERM after the timeout and reports forced', async () => {
    const { child, pids } = await startDetached('spawns-grandchild.mjs', ['--ignore-sigterm']);
    expect(await terminateTree(child.pid ?? -1, { signal: 'SIGTERM', timeoutMs: 300, processGroup: true })).toEqual({ forced: true });
    expect(await runningPids(pids)).toEqual([]);
  });

  it('kills a SIGTERM-ignoring grandchild that escaped the process group with setsid', async () => {
    const { child, pids } = await startDetached('spawns-grandchild.mjs', ['--setsid', '--ignore-sigterm']);
    expect(await terminateTree(child.pid ?? -1, { signal: 'SIGTERM', timeoutMs: 300, processGroup: true })).toEqual({ forced: true });
    expect(await runningPids(pids)).toEqual([]);
  });

  it('kills the tree through its pids alone when processGroup is false', async () => {
    const { child, pids } = await startDetached('spawns-grandchild.mjs', ['--ignore-sigterm']);
    expect(await terminateTree(child.pid ?? -1, { signal: 'SIGTERM', timeoutMs: 100, processGroup: false })).toEqual({ forced: true });
    expect(await runningPids(pids)).toEqual([]);
  });

  it('resolves at once for a pid that is already gone', async () => {
    const { child } = await startDetached('exits-0.mjs');
    await waitFor(() => child.exitCode !== null, { message: 'exits-0 did not exit' });
    expect(await terminateTree(child.pid ?? -1, { signal: 'SIGTERM', timeoutMs: 10_000, processGroup: true })).toEqual({ forced: false });
  });
});
