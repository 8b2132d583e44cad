import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RpcClient, type AppRow } from '@owl/rpc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { checkNeverTwice, killMarked, killNine, markedProcesses, processState, startOwld, type MarkedProcess } from '../helpers/launched.ts';

/**
 * The relaunch after a crash records its launch on disk (one append to launches.jsonl) before
 * it spawns: stopped there by OWL_FAULT_STOP_AT and killed with SIGKILL, the next daemon must
 * still end up with exactly one process of the app.
 */

function tempOwlHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'owl-relaunch-'));
  onTestFinished(() => {
    killMarked(home);
    rmSync(home, { recursive: true, force: true });
  });
  return home;
}

async function connect(home: string): Promise<RpcClient> {
  const client = await RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: 5_000, callTimeoutMs: 30_000 });
  onTestFinished(() => client.close());
  return client;
}

function journaledLaunches(home: string): Array<{ app: string; instance: number; launchId: string }> {
  return readFileSync(path.join(home, 'launches.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { app: string; instance: number; launchId: string });
}

/** Starts a daemon that stops itself at `fault` the second time (the relaunch), runs the app, kills it, waits for the stop. */
async function crashUntilFault(home: string, fault: string): Promise<{ daemonPid: number; first: MarkedProcess }> {
  const daemon = await startOwld(home, `${fault}@2`);
  expect(daemon.answering).toBe(true);
  const client = await connect(home);
  await client.call('apps.apply', { apps: [{ name: 'web', command: 'sleep', args: ['100000'] }] as never, prune: false });
  const first = await waitFor(() => markedProcesses(home).find((entry) => entry.app === 'web'), { message: 'the app never started' });
  process.kill(first.pid, 'SIGKILL');
  await waitFor(() => processState(daemon.pid) === 'T', { timeoutMs: 30_000, message: `the daemon never reached ${fault} of the relaunch` });
  return { daemonPid: daemon.pid, first };
}

async function runningRow(home: string): Promise<{ pid: number; rows: AppRow[] }> {
  const client = await connect(home);
  const row = await waitFor(async () => (await client.call('apps.list', {})).find((candidate) => candidate.name === 'web' && candidate.status === 'running' && candidate.pid !== null), {
    timeoutMs: 30_000,
    message: 'web never ran again',
  });
  return { pid: row.pid as number, rows: await client.call('apps.list', {}) };
}

describe('a relaunch after a crash, with the daemon killed at each step', () => {
  it('at launch:recorded the new launch id is in launches.jsonl (not yet in state.json) and nothing carries it; the next daemon starts exactly one copy', { timeout: 120_000 }, async () => {
    const home = tempOwlHome();
    const { daemonPid, first } = await crashUntilFault(home, 'launch:recorded');
    const recorded = journaledLaunches(home).at(-1);
    expect(recorded).toMatchObject({ app: 'web', instance: 0 });
    expect(recorded?.launchId).not.toBe(first.launchId);
    // One small append made it durable: the full state file was not rewritten for it.
    expect(readFileSync(path.join(home, 'state.json'), 'utf8')).not.toContain(recorded?.launchId);
    // Recorded, not spawned yet.
    expect(markedProcesses(home)).toEqual([]);
    await killNine(daemonPid);
    await startOwld(home);
    const { rows } = await runningRow(home);
    expect(checkNeverTwice(home, rows)).toEqual([]);
  });

  it('at launch:spawned the child carries the journaled launch id; the next daemon adopts it instead of starting another', { timeout: 120_000 }, async () => {
    const home = tempOwlHome();
    const { daemonPid, first } = await crashUntilFault(home, 'launch:spawned');
    const second = await waitFor(() => markedProcesses(home).find((entry) => entry.app === 'web'), { message: 'the relaunched child is not there' });
    expect(second.pid).not.toBe(first.pid);
    expect(second.launchId).toBe(journaledLaunches(home).at(-1)?.launchId);
    await killNine(daemonPid);
    await startOwld(home);
    const { pid, rows } = await runningRow(home);
    expect(pid).toBe(second.pid);
    expect(checkNeverTwice(home, rows)).toEqual([]);
  });
});
