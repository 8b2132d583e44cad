import type { AppDetail, AppStatus } from '@owl/rpc';

/** The part of the supervisor a switch needs: which apps exist, their specs, a restart. */
export interface BoundApps {
  names(): string[];
  describe(name: string): Promise<AppDetail>;
  restart(name: string): Promise<unknown>;
}

// An app meant to be up; a stopped or scheduled-off app stays as it is (it reads the new version when it starts).
const UP: ReadonlySet<string> = new Set<AppStatus>(['running', 'launching', 'stalled', 'queued']);

/** Restarts every app whose spec names `roost` and that is meant to run, one after the other; returns their names. */
export async function restartBoundApps(apps: BoundApps, roost: string): Promise<string[]> {
  const bound: string[] = [];
  for (const name of apps.names()) {
    const detail = await apps.describe(name);
    if (detail.spec.roost === roost && detail.instances.some((instance) => UP.has(instance.status))) bound.push(name);
  }
  for (const name of bound) await apps.restart(name);
  return bound;
}
