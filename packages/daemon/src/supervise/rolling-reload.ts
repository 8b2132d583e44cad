import { OwlError } from '@owl/rpc';
import type { AppReload } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';
import type { AppEntry } from './app-entry.ts';
import { awaitReplacement } from './await-replacement.ts';

/**
 * A rolling restart of one app: each instance in turn is stopped, relaunched with the current
 * spec, and must be ready (see awaitReplacement) before the next one is touched, so all other
 * instances serve throughout. The first replacement that fails ends the reload: it is left to
 * its restart policy, and the instances after it keep their old processes.
 */
export async function reloadInstances(entry: AppEntry, events: EventBus): Promise<AppReload> {
  // Two reloads of one app at once could have two of its instances down at the same moment.
  if (reloading.has(entry)) throw new OwlError('OWL_RELOAD_FAILED', `a reload of "${entry.spec.name}" is already running; wait for it to finish`);
  reloading.add(entry);
  try {
    return await replaceOneByOne(entry, events);
  } finally {
    reloading.delete(entry);
  }
}

const reloading = new WeakSet<AppEntry>();

async function replaceOneByOne(entry: AppEntry, events: EventBus): Promise<AppReload> {
  const result: AppReload = { name: entry.spec.name, instances: entry.runners.length, replaced: [], failed: null, untouched: [] };
  const runners = [...entry.runners];
  for (const [position, runner] of runners.entries()) {
    await runner.restart();
    const verdict = await awaitReplacement(runner, events);
    if (!verdict.ok) {
      result.failed = { instance: runner.record.index, reason: verdict.reason };
      result.untouched = runners.slice(position + 1).map((rest) => rest.record.index);
      break;
    }
    result.replaced.push(runner.record.index);
  }
  return result;
}
