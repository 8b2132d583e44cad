import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RpcClient, type AppRow } from '@owl/rpc';
import { expect, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { checkNeverTwice, killMarked, killNine, markedProcesses, processState, startOwld } from '../helpers/launched.ts';

/**
 * kill -9 of the daemon at every step of a launch, a stop and an apply, round after round on
 * one home: each round starts a daemon that stops itself at a named step (OWL_FAULT_STOP_AT),
 * runs one operator command, kills the daemon with SIGKILL there (or just after the reply),
 * and the next round's daemon must find exactly one process per wanted instance, none
 * unwanted, and every acknowledged command honoured.
 */

type Operation = 'stop' | 'start' | 'restart' | 'apply';

// Each family's steps, in the order of the operation; '' = kill just after the reply.
const STEPS: Record<Operation, string[]> = {
  stop: ['stop:intent', 'stop:terminated', 'stop:committed', ''],
  start: ['start:intent', 'launch:recorded', 'launch:spawned', 'launch:spawned@2', 'start:committed', ''],
  restart: ['restart:intent', 'launch:recorded', 'launch:spawned', 'launch:recorded@3', 'restart:committed', ''],
  apply: ['apply:intent', 'launch:recorded', 'launch:spawned', 'launch:spawned@3', 'apply:committed', ''],
};
const CYCLE: Operation[] = ['stop', 'start', 'restart', 'stop', 'apply', 'start', 'apply'];
const APPS = ['a', 'b', 'c'];
const INSTANCES: Record<string, number> = { a: 1, b: 2, c: 1 };

function config(generation: number, prune: boolean): Array<Record<string, unknown>> {
  const names = prune ? ['a', 'b'] : APPS;
  return names.map((name) => ({ name, command: 'sleep', args: ['100000'], instances: INSTANCES[name], env: { GENERATION: String(generation) }, stop: { timeout: '2s' } }));
}

interface Expectation {
  /** Apps that must be running (true) or stopped (false) after an acknowledged command. */
  running: Map<string, boolean>;
  /** An acknowledged apply: its generation is in every applied app's env. */
  generation?: number;
  applied?: string[];
}

async function connect(home: string): Promise<RpcClient> {
  return RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: 5_000, callTimeoutMs: 30_000 });
}

/** Runs the command; resolves 'acked' with the reply, or 'faulted' once the daemon stopped itself. */
async function runUntilFault(pid: number, command: () => Promise<unknown>): Promise<'acked' | 'faulted'> {
  let settled: 'acked' | 'failed' | undefined;
  let failure: unknown;
  command().then(
    () => (settled = 'acked'),
    (error: unknown) => {
      settled = 'failed';
      failure = error;
    },
  );
  const outcome = await waitFor(() => (settled ? settled : processState(pid) === 'T' ? 'faulted' : undefined), { timeoutMs: 30_000, intervalMs: 10 });
  if (outcome === 'failed' && processState(pid) !== 'T') throw failure;
  return outcome === 'acked' ? 'acked' : 'faulted';
}

function targetOf(round: number): string {
  return round % 3 === 0 ? 'all' : (APPS[round % APPS.length] as string);
}

async function issue(client: RpcClient, operation: Operation, round: number): Promise<{ command: () => Promise<unknown>; expect: Expectation }> {
  const rows = await client.call('apps.list', {});
  const present = [...new Set(rows.map((row) => row.name))];
  const running = new Map<string, boolean>();
  if (operation === 'apply') {
    const prune = round % 4 === 0;
    const apps = config(round, prune);
    return { command: () => client.call('apps.apply', { apps: apps as never, prune }), expect: { running, generation: round, applied: apps.map((app) => app.name as string) } };
  }
  const target = present.includes(targetOf(round)) || targetOf(round) === 'all' ? targetOf(round) : (present[0] ?? 'all');
  for (const name of target === 'all' ? present : [target]) running.set(name, operation !== 'stop');
  return { command: () => client.call(`apps.${operation}`, { target }), expect: { running } };
}

async function verifyExpectation(client: RpcClient, rows: AppRow[], expectation: Expectation): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, wanted] of expectation.running) {
    for (const row of rows.filter((candidate) => candidate.name === name)) {
      const runs = ['launching', 'running'].includes(row.status);
      if (runs !== wanted) problems.push(`acknowledged ${wanted ? 'start' : 'stop'} of ${name} lost: #${row.instance} is ${row.status}`);
    }
  }
  for (const name of expectation.applied ?? []) {
    const detail = await client.call('apps.describe', { name }).catch(() => null);
    const env = (detail?.spec as { env?: Record<string, string> } | undefined)?.env;
    if (env?.GENERATION !== String(expectation.generation)) problems.push(`acknowledged apply lost for ${name}: env ${JSON.stringify(env)}`);
  }
  return problems;
}

export async function runRounds(rounds: number, offset: number): Promise<{ faulted: number; acked: number; bootFaults: number }> {
  const home = mkdtempSync(path.join(tmpdir(), 'owl-kill9-'));
  onTestFinished(() => {
    killMarked(home);
    rmSync(home, { recursive: true, force: true });
  });
  const counts = { faulted: 0, acked: 0, bootFaults: 0 };
  let pending: Expectation | undefined;
  let daemon = await startOwld(home);
  let client = await connect(home);
  await client.call('apps.apply', { apps: config(0, false) as never, prune: false });
  await killNine(daemon.pid);
  for (let round = offset; round < offset + rounds; round += 1) {
    const operation = CYCLE[round % CYCLE.length] as Operation;
    const steps = STEPS[operation];
    const step = steps[Math.floor(round / CYCLE.length) % steps.length] as string;
    daemon = await startOwld(home, step || undefined);
    if (!daemon.answering) {
      // The boot itself relaunched something and stopped at the step: a kill there is a round too.
      counts.bootFaults += 1;
      await killNine(daemon.pid);
      continue;
    }
    client = await connect(home);
    const rows = await client.call('apps.list', {});
    const problems = [...checkNeverTwice(home, rows), ...(pending ? await verifyExpectation(client, rows, pending) : [])];
    expect(problems, `round ${round} (after the previous kill): ${JSON.stringify(rows)}`).toEqual([]);
    const { command, expect: expectation } = await issue(client, operation, round);
    const outcome = await runUntilFault(daemon.pid, command);
    counts[outcome] += 1;
    pending = outcome === 'acked' ? expectation : undefined;
    await killNine(daemon.pid);
    await client.close();
  }
  daemon = await startOwld(home);
  client = await connect(home);
  const rows = await client.call('apps.list', {});
  expect([...checkNeverTwice(home, rows), ...(pending ? await verifyExpectation(client, rows, pending) : [])]).toEqual([]);
  await client.call('daemon.shutdown', { withApps: true });
  await waitFor(() => processState(daemon.pid) === null || processState(daemon.pid) === 'Z', { message: 'daemon did not stop' });
  await client.close();
  expect(markedProcesses(home)).toEqual([]);
  return counts;
}

/** Rounds per test file; raise it for a soak (OWL_KILL9_ROUNDS=500). */
export const KILL9_ROUNDS = Number(process.env.OWL_KILL9_ROUNDS ?? 63);
