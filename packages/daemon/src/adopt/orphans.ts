import type { AppRow } from '@owl/rpc/contract';
import { readProcessStartTime } from '../process/start-time.ts';
import { terminateTree } from '../process/terminate-tree.ts';
import type { LaunchedProcess } from './find-launched.ts';

/** How long an orphan gets to exit after SIGTERM before its tree is killed. */
const ORPHAN_STOP_TIMEOUT_MS = 5_000;

/**
 * Children this home's daemons started that no app claims any more (their app is unknown, e.g.
 * both state files were lost). Never stopped silently and never left invisible: `owl ls` shows
 * them as `orphan` rows, `owl stop --orphans` and `owl daemon stop --with-apps` stop them.
 */
export class Orphans {
  #known: LaunchedProcess[] = [];

  add(found: readonly LaunchedProcess[]): void {
    this.#known.push(...found);
  }

  /** The orphans still alive (same pid, same start time); the dead are forgotten. */
  async alive(): Promise<LaunchedProcess[]> {
    const checks = await Promise.all(this.#known.map(async (orphan) => (await readProcessStartTime(orphan.pid)) === orphan.startTime && orphan.startTime !== null));
    this.#known = this.#known.filter((_, index) => checks[index]);
    return [...this.#known];
  }

  async rows(): Promise<AppRow[]> {
    return (await this.alive()).map((orphan) => ({
      name: orphan.app,
      instance: orphan.instance,
      status: 'orphan',
      pid: orphan.pid,
      restarts: 0,
      uptimeMs: 0,
      cpu: null,
      memory: null,
      lastExit: null,
      reason: `started by this owl home (launch ${orphan.launchId}) but wanted by no app; stop it with "owl stop --orphans"`,
    }));
  }

  /** Stops every orphan's process tree (SIGTERM, then kill); returns the pids stopped. */
  async stopAll(): Promise<number[]> {
    const orphans = await this.alive();
    await Promise.all(orphans.map((orphan) => terminateTree(orphan.pid, { signal: 'SIGTERM', timeoutMs: ORPHAN_STOP_TIMEOUT_MS, processGroup: true }).catch(() => undefined)));
    this.#known = [];
    return orphans.map((orphan) => orphan.pid);
  }
}
