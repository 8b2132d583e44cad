import { OwlError } from '@owl/rpc';
import { readProcessTable, type ProcessTableEntry } from './process-table.ts';
import { collectDescendants } from './process-tree.ts';
import { runCommand } from './run-command.ts';
import { signalPid } from './signal-pid.ts';
import { waitUntilGone } from './wait-until-gone.ts';

export interface TerminateTreeOptions {
  /** Polite signal sent first (POSIX only; Windows sends a close request). */
  signal: NodeJS.Signals;
  /** How long the tree may take to exit before it is killed by force. */
  timeoutMs: number;
  /** Also signal the process group led by pid (apps are spawned detached, leading their group). */
  processGroup: boolean;
}

export interface TerminateTreeResult {
  /** True when something outlived timeoutMs and had to be killed (SIGKILL, taskkill /F). */
  forced: boolean;
}

// After a forced kill only an unkillable process (uninterruptible I/O, not ours) can remain.
const FORCED_KILL_WAIT_MS = 5_000;

/**
 * Stops a process and all its descendants: polite request first, force after timeoutMs.
 * Descendants are snapshotted before anything is signalled, so grandchildren that left the
 * process group (setsid) or were orphaned by their parent's death are still found. A zombie
 * counts as gone. A pid whose start time changed since the snapshot was reused by an unrelated
 * process and is left alone. Rejects with OWL_TIMEOUT if processes survive the forced kill.
 *
 * @example
 * const { forced } = await terminateTree(child.pid, { signal: 'SIGTERM', timeoutMs: 5_000, processGroup: true });
 */
export async function terminateTree(pid: number, options: TerminateTreeOptions): Promise<TerminateTreeResult> {
  const tree = await snapshotTree(pid);
  const pids = tree.map((row) => row.pid);
  if (process.platform === 'win32') await runCommand('taskkill', ['/T', ...pidArguments(pids)]);
  else signalTree(pid, pids, options.signal, options.processGroup);
  const survivors = await waitUntilGone(pids, options.timeoutMs);
  if (survivors.length === 0) return { forced: false };

  const targets = await resnapshotSurvivors(tree, survivors);
  if (process.platform === 'win32') await forceKillWindows(targets);
  else signalTree(pid, targets, 'SIGKILL', options.processGroup);
  const unkillable = await waitUntilGone(targets, FORCED_KILL_WAIT_MS);
  if (unkillable.length > 0) {
    throw new OwlError(
      'OWL_TIMEOUT',
      `process tree of pid ${pid} still running ${FORCED_KILL_WAIT_MS} ms after a forced kill: pids ${unkillable.join(', ')}`,
      { data: { pid, pids: unkillable } },
    );
  }
  return { forced: true };
}

async function snapshotTree(pid: number): Promise<ProcessTableEntry[]> {
  const table = await readProcessTable();
  const root = table.find((row) => row.pid === pid) ?? { pid, ppid: 0, startTime: null };
  return [root, ...collectDescendants(table, [pid])];
}

// Survivors may have spawned new children while we waited: walk the tree again from them.
// Only from survivors that are still the recorded process, never from a reused pid.
async function resnapshotSurvivors(tree: readonly ProcessTableEntry[], survivors: readonly number[]): Promise<number[]> {
  const table = await readProcessTable();
  const current = new Map(table.map((row) => [row.pid, row]));
  const recorded = new Map(tree.map((row) => [row.pid, row]));
  const sameProcess = survivors.filter((survivor) => {
    const then = recorded.get(survivor)?.startTime ?? null;
    const now = current.get(survivor)?.startTime ?? null;
    return then === null || now === null || then === now;
  });
  const fresh = collectDescendants(table, sameProcess).map((row) => row.pid);
  return [...new Set([...sameProcess, ...fresh])];
}

function signalTree(pid: number, pids: readonly number[], signal: NodeJS.Signals, processGroup: boolean): void {
  if (processGroup) signalPid(-pid, signal);
  for (const target of pids) signalPid(target, signal);
}

async function forceKillWindows(pids: readonly number[]): Promise<void> {
  await runCommand('taskkill', ['/F', '/T', ...pidArguments(pids)]);
  // TerminateProcess as well: taskkill may be unavailable or refuse one pid of the list.
  for (const target of pids) signalPid(target, 'SIGKILL');
}

function pidArguments(pids: readonly number[]): string[] {
  return pids.flatMap((target) => ['/PID', String(target)]);
}
