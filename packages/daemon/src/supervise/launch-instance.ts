import type { AppSpec } from '@owl/rpc/contract';
import { toOwlError } from '@owl/rpc';
import { appLogPaths } from '../app-logs/app-log-paths.ts';
import { readProcessStartTime } from '../process/start-time.ts';
import { readProcessExecutable } from '../process/executable-path.ts';
import { terminateTree } from '../process/terminate-tree.ts';
import { newLaunchId } from '../adopt/launch-marker.ts';
import { faultPoint } from '../fault/fault-point.ts';
import { prepareSpawn, spawnApp, type SpawnPlan } from './spawn-app.ts';
import { USER_SESSION_RETRY_MS } from './spawn-user-session.ts';
import type { InstanceSlot } from './instance-slot.ts';

export interface LaunchHooks {
  /** The spawned child exited (its pid, exit code, signal). */
  processOnExit(pid: number, code: number | null, signal: string | null): Promise<void>;
  /** Tries the launch again later (no user session yet, or the launch failed). */
  retry(): Promise<void>;
}

/**
 * Records the launch (a fresh launch id) on disk, then spawns the child carrying that id in
 * OWL_LAUNCH: no instant exists at which a child runs that the next daemon cannot find. A
 * launch superseded meanwhile (stop, delete, restart, apply) stops what it spawned.
 */
export async function launchInstance(slot: InstanceSlot, epoch: number, hooks: LaunchHooks): Promise<void> {
  const { record, deps, turns } = slot;
  slot.clearTimer();
  const spec = deps.spec();
  const logs = appLogPaths(deps.logsDirectory, spec.name, deps.index);
  const launchId = newLaunchId();
  record.launchId = launchId;
  // The checks before the spawn run while the launch is being recorded (never rejects: not
  // writable, the launch goes on and its marker still finds it).
  const [, prepared] = await Promise.all([deps.recordLaunch(launchId), settle(prepareSpawn(spec, deps.index, deps.defaultCwd))]);
  faultPoint('launch:recorded');
  if (turns.isStale(epoch)) return;
  let spawned;
  try {
    if ('error' in prepared) throw prepared.error;
    spawned = await spawnApp(prepared.plan, logs, deps.launchMarker(launchId));
  } catch (error) {
    if (!turns.isStale(epoch)) settleFailedLaunch(slot, spec, error, hooks);
    return;
  }
  faultPoint('launch:spawned');
  const { pid } = spawned;
  if (turns.isStale(epoch)) {
    await stopSuperseded(slot, pid, spec);
    return;
  }
  void spawned.exited.then(({ code, signal }) => hooks.processOnExit(pid, code, signal));
  Object.assign(record, { pid, startedAt: new Date().toISOString(), startTime: null, executable: spawned.executable });
  // A user-session launch says which session it went to (events show where the window is).
  slot.transition('launching', null, { pid, ...(spawned.session === undefined ? {} : { session: spawned.session }) });
  const [startTime, executable] = await Promise.all([readProcessStartTime(pid), readProcessExecutable(pid)]);
  if (record.pid === pid) {
    record.startTime = startTime;
    record.executable = executable ?? spawned.executable;
    deps.persist();
  }
  if (turns.isStale(epoch) || record.pid !== pid) return;
  if (spec.initGrace > 0) {
    slot.schedule(spec.initGrace, () => {
      if (record.status === 'launching' && record.pid === pid) slot.transition('running', null, { pid });
    });
  } else {
    slot.transition('running', null, { pid });
  }
}

/** No process came of the launch: queued until a user logs on, or failed (retried once per cooldown). */
function settleFailedLaunch(slot: InstanceSlot, spec: AppSpec, error: unknown, hooks: LaunchHooks): void {
  const owlError = toOwlError(error);
  slot.record.pid = null;
  if (owlError.code === 'OWL_NO_USER_SESSION') {
    // Not a failure: the app starts once a user logs on; no restart or budget is spent.
    slot.transition('queued', owlError.message);
    slot.schedule(USER_SESSION_RETRY_MS, hooks.retry);
    return;
  }
  slot.transition('launch_failed', owlError.message, { code: owlError.code });
  // Not retried every tick: one try per cooldown, in case the executable appears.
  slot.schedule(spec.restart.cooldown, hooks.retry);
}

function settle(planning: Promise<SpawnPlan>): Promise<{ plan: SpawnPlan } | { error: unknown }> {
  return planning.then(
    (plan) => ({ plan }),
    (error: unknown) => ({ error }),
  );
}

/** A launch that was superseded before its pid was taken on stops its child itself. */
async function stopSuperseded(slot: InstanceSlot, pid: number, spec: AppSpec): Promise<void> {
  slot.emit('launch_superseded', { pid });
  await terminateTree(pid, { signal: spec.stop.signal, timeoutMs: spec.stop.timeout, processGroup: true }).catch((error: unknown) =>
    slot.deps.logError(`${slot.label}: cannot stop superseded launch pid ${pid}: ${String(error)}`),
  );
}
