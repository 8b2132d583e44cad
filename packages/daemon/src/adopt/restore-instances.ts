import { readProcessExecutable } from '../process/executable-path.ts';
import { terminateTree } from '../process/terminate-tree.ts';
import type { InstanceRunner } from '../supervise/instance-runner.ts';
import { LIVE_STATUSES } from '../supervise/transitions.ts';
import type { LaunchedProcess } from './find-launched.ts';
import { verifyRecordedProcess } from './verify-recorded.ts';

export interface RestoreLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Boot: brings every recorded instance back in line with what is really running. A process is
 * claimed by the recorded pid (start time and executable checked) or, when its pid never
 * reached the disk, by the launch marker it carries; everything then goes through the runner's
 * one transition function and a reconcile (an interrupted stop is finished, a dead instance is
 * relaunched by policy). Returns the marked processes no instance claimed.
 */
export async function restoreInstances(runners: readonly InstanceRunner[], found: readonly LaunchedProcess[], log: RestoreLog): Promise<LaunchedProcess[]> {
  let unclaimed = [...found];
  for (const runner of runners) {
    const candidates = unclaimed.filter((entry) => entry.app === runner.name && entry.instance === runner.record.index);
    const claimed = await restoreRunner(runner, candidates, log);
    unclaimed = unclaimed.filter((entry) => entry.pid !== claimed);
  }
  return unclaimed;
}

async function restoreRunner(runner: InstanceRunner, candidates: LaunchedProcess[], log: RestoreLog): Promise<number | null> {
  const { record } = runner;
  const label = `${runner.name}#${record.index}`;
  if (record.pid !== null) {
    const verdict = await verifyRecordedProcess(record);
    if (verdict.ours) {
      const pid = record.pid;
      runner.adopt();
      await reconcileAdopted(runner, label, log);
      return pid;
    }
    log.info(`not adopting pid ${record.pid} of ${label}: ${verdict.reason}`);
  }
  const match = candidates.find((entry) => entry.launchId === record.launchId) ?? candidates[0];
  if (match) {
    log.info(`adopting pid ${match.pid} of ${label} by its launch marker (launch ${match.launchId}${record.pid === null ? ', pid not recorded' : ''})`);
    runner.adopt({ pid: match.pid, startTime: match.startTime, executable: await readProcessExecutable(match.pid), launchId: match.launchId, startedAt: new Date().toISOString() });
    await reconcileAdopted(runner, label, log);
    return match.pid;
  }
  if (record.pid !== null && LIVE_STATUSES.has(record.status) && record.status !== 'stopping') {
    await runner.handleExitWhileDown();
    return null;
  }
  runner.resetAfterRestore();
  await runner.reconcile();
  return null;
}

/**
 * An adopted process the intent no longer wants (a stop the last daemon was killed in, a
 * schedule that ended while it was down) is stopped without holding up the boot: the stop may
 * wait out a long stop timeout, and the daemon must answer meanwhile (`owl daemon start` waits
 * for it to listen). The stop goes through the runner's turns like any other, so an operator
 * command that comes meanwhile supersedes it.
 */
async function reconcileAdopted(runner: InstanceRunner, label: string, log: RestoreLog): Promise<void> {
  if (runner.wantsToRun) {
    await runner.reconcile();
    return;
  }
  void runner.reconcile().catch((error: unknown) => log.warn(`finishing the stop of ${label}: ${String(error)}`));
}

/**
 * Marked processes of a known app that no instance claimed (a second copy of an instance, or an
 * instance beyond the app's count after a scale-down the daemon died in): the recorded intent
 * wants none of them, so they are stopped.
 */
export async function stopUnwanted(extra: readonly LaunchedProcess[], log: RestoreLog): Promise<void> {
  await Promise.all(
    extra.map(async (entry) => {
      log.warn(`stopping pid ${entry.pid} of ${entry.app}#${entry.instance} (launch ${entry.launchId}): no instance of the app wants it`);
      await terminateTree(entry.pid, { signal: 'SIGTERM', timeoutMs: 5_000, processGroup: true }).catch(() => undefined);
    }),
  );
}
