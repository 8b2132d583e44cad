import type { AppDetail, AppStatus } from '@owl/rpc';

/** The part of the supervisor a switch needs: which apps exist, their specs, a restart. */
export interface BoundApps {
  names(): string[];
  describe(name: string): Promise<AppDetail>;
  restart(name: string): Promise<unknown>;
}

// An app meant to be up; a stopped or scheduled-off app stays as it is (it reads the new version when it starts).
const UP: ReadonlySet<string> = new Set<AppStatus>(['running', 'launching', 'stalled', 'queued']);

/**
 * Restarts every app whose spec names `roost` and that is meant to run, one after the other;
 * returns the names restarted. The switch is already done and durable: a restart that fails
 * (the app was deleted meanwhile) leaves that app out rather than failing the call.
 */
export async function restartBoundApps(apps: BoundApps, roost: string): Promise<string[]> {
  const bound: string[] = [];
  for (const name of apps.names()) {
    // An app deleted meanwhile is simply not bound any more.
    const detail = await apps.describe(name).catch(() => null);
    if (detail?.spec.roost === roost && detail.instances.some((instance) => UP.has(instance.status))) bound.push(name);
  }
  const restarted: string[] = [];
  for (const name of bound) {
    if (await apps.restart(name).then(() => true, () => false)) restarted.push(name);
  }
  return restarted;
}
