import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RpcClient, type AppRow } from '@owl/rpc';
import { onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { isAlive } from '@owl/test-support/owl';

export const OWLD_BIN = fileURLToPath(new URL('../../dist/owld.mjs', import.meta.url));

/** A process carrying OWL_LAUNCH of a home, read straight from /proc (independent of the daemon's code). */
export interface MarkedProcess {
  pid: number;
  ppid: number;
  app: string;
  instance: number;
  launchId: string;
}

function homeIdOf(home: string): string {
  return createHash('sha256').update(home).digest('hex').slice(0, 16);
}

/** Process state letter from /proc/<pid>/stat ('T' = stopped), or null when gone. */
export function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return null;
  }
}

/** Every live (non-zombie) process whose environment holds this home's launch marker, tree roots only. */
export function markedProcesses(home: string): MarkedProcess[] {
  const prefix = `OWL_LAUNCH=${homeIdOf(home)}:`;
  const found: MarkedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    let environment: string;
    let stat: string;
    try {
      environment = readFileSync(`/proc/${pid}/environ`, 'latin1');
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const entry = environment.split('\0').find((variable) => variable.startsWith(prefix));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (!entry || fields[0] === 'Z') continue;
    const [, app, instance, launchId] = entry.slice('OWL_LAUNCH='.length).split(':');
    found.push({ pid, ppid: Number(fields[1]), app: app as string, instance: Number(instance), launchId: launchId as string });
  }
  const byPid = new Map(found.map((entry) => [entry.pid, entry]));
  return found.filter((entry) => byPid.get(entry.ppid)?.launchId !== entry.launchId);
}

/** Kills every marked process of a home (cleanup), by pid. */
export function killMarked(home: string): void {
  for (const entry of markedProcesses(home)) {
    try {
      process.kill(-entry.pid, 'SIGKILL');
    } catch {
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

export interface Owld {
  pid: number;
  /** True once it answers; false when it stopped itself at its fault step first. */
  answering: boolean;
}

/**
 * Starts owld directly (no CLI round trip) with an optional fault step, and waits until it
 * answers ping or has stopped itself at the fault (state T).
 */
export async function startOwld(home: string, fault?: string): Promise<Owld> {
  const out = openSync(path.join(home, 'owld.out'), 'a');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OWL_FAULT_STOP_AT;
  if (fault) env.OWL_FAULT_STOP_AT = fault;
  const child = spawn(process.execPath, ['--max-semi-space-size=1', '--optimize-for-size', OWLD_BIN, '--home', home], { env, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  const pid = child.pid as number;
  onTestFinished(() => {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
  const answering = await waitFor(
    async () => {
      if (processState(pid) === 'T') return 'stopped';
      if (!isAlive(pid)) throw new Error(`owld ${pid} exited during start-up: ${readFileSync(path.join(home, 'owld.out'), 'utf8').slice(-2000)}`);
      const client = await RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: 1_000 }).catch(() => null);
      if (!client) return undefined;
      await client.close();
      return 'answering';
    },
    { timeoutMs: 30_000, intervalMs: 20, message: `owld ${pid} neither answered nor stopped at ${fault}` },
  );
  return { pid, answering: answering === 'answering' };
}

/** kill -9, then wait until the pid is gone (reaped or zombie). */
export async function killNine(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitFor(() => !isAlive(pid), { message: `pid ${pid} survived SIGKILL` });
}

/** Statuses in which an instance must have exactly one process. */
const WANTS_PROCESS = new Set(['launching', 'running', 'stalled']);

/**
 * The promise: every instance the daemon reports as wanted has exactly one live process (the
 * pid it reports), every other instance none, and no marked process is outside the table.
 * Returns a description of each violation (empty when all holds).
 */
export function checkNeverTwice(home: string, rows: AppRow[]): string[] {
  const problems: string[] = [];
  const marked = markedProcesses(home);
  for (const row of rows) {
    const mine = marked.filter((entry) => entry.app === row.name && entry.instance === row.instance);
    if (row.status === 'orphan') {
      problems.push(`${row.name}#${row.instance}: orphan pid ${row.pid}`);
      continue;
    }
    const wanted = WANTS_PROCESS.has(row.status);
    if (wanted && (mine.length !== 1 || mine[0]?.pid !== row.pid)) {
      problems.push(`${row.name}#${row.instance} is ${row.status} (pid ${row.pid}) but has processes [${mine.map((entry) => entry.pid).join(', ')}]`);
    }
    if (!wanted && mine.length > 0) problems.push(`${row.name}#${row.instance} is ${row.status} but processes [${mine.map((entry) => entry.pid).join(', ')}] run`);
  }
  for (const entry of marked) {
    if (!rows.some((row) => row.name === entry.app && row.instance === entry.instance)) {
      problems.push(`pid ${entry.pid} of ${entry.app}#${entry.instance} is not listed at all`);
    }
  }
  return problems;
}
