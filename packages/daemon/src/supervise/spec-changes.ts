import type { AppSpec } from '@owl/rpc/contract';
import type { EventInput } from '../events/event-bus.ts';
import { newInstanceRecord, type InstanceRecord } from '../state/daemon-state.ts';
import { AppEntry } from './app-entry.ts';
import type { InstanceRunner } from './instance-runner.ts';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface Change {
  outcome: UpsertOutcome;
  entry: AppEntry;
}

/** What taking in and carrying out a spec needs of the supervisor. */
export interface SpecChangeContext {
  readonly apps: Map<string, AppEntry>;
  createRunner(entry: AppEntry, record: InstanceRecord): InstanceRunner;
  armBoundary(entry: AppEntry): void;
  emit(event: EventInput): void;
}

function sameSpec(a: AppSpec, b: AppSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Takes a spec into the app table (not acting on it yet), so the intent can be written first.
 * `startNew: false` creates a new app stopped (as `owl stop` leaves it) instead of launching it.
 */
export function registerSpec(context: SpecChangeContext, spec: AppSpec, startNew: boolean = true): Change {
  const existing = context.apps.get(spec.name);
  if (!existing) {
    const entry = new AppEntry(spec, null);
    if (!startNew) entry.setOverride(false);
    context.apps.set(spec.name, entry);
    for (let index = 0; index < spec.instances; index += 1) {
      entry.runners.push(context.createRunner(entry, newInstanceRecord(index, startNew ? 'inactive' : 'stopped')));
    }
    context.emit({ type: 'created', app: spec.name });
    return { outcome: 'created', entry };
  }
  if (sameSpec(existing.spec, spec)) return { outcome: 'unchanged', entry: existing };
  existing.spec = spec;
  if (spec.launch.mode !== 'scheduled') existing.override = existing.override?.run === false ? existing.override : null;
  return { outcome: 'updated', entry: existing };
}

/** Acts on a registered spec: launches a new app, resizes and restarts a changed one. */
export async function carryOutChange(context: SpecChangeContext, spec: AppSpec, change: Change): Promise<UpsertOutcome> {
  const { entry, outcome } = change;
  // Deleted or replaced while the call ran: nothing of this call applies to it any more.
  if (context.apps.get(spec.name) !== entry) return outcome;
  if (outcome === 'created') {
    await Promise.all(entry.runners.map((runner) => runner.reconcile()));
    context.armBoundary(entry);
  } else if (outcome === 'updated') {
    await updateApp(context, entry, spec);
  }
  return outcome;
}

async function updateApp(context: SpecChangeContext, entry: AppEntry, spec: AppSpec): Promise<void> {
  while (entry.runners.length > spec.instances) {
    const runner = entry.runners.at(-1) as InstanceRunner;
    await runner.stop('stopped');
    entry.runners.pop();
    runner.dispose();
  }
  while (entry.runners.length < spec.instances) {
    entry.runners.push(context.createRunner(entry, newInstanceRecord(entry.runners.length, 'inactive')));
  }
  context.emit({ type: 'updated', app: spec.name });
  await Promise.all(entry.runners.map((runner) => (runner.isLive ? runner.restart() : runner.reconcile())));
  context.armBoundary(entry);
}
