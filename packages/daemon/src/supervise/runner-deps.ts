import type { AppSpec } from '@owl/rpc/contract';
import type { EventInput } from '../events/event-bus.ts';
import { formatLaunchMarker } from '../adopt/launch-marker.ts';
import type { LaunchEntry } from '../state/launch-journal.ts';
import type { AppEntry } from './app-entry.ts';
import type { Desire, RunnerDeps } from './instance-slot.ts';
import type { PidWatcher } from './pid-watcher.ts';

/** What every instance's runner shares: made once by the supervisor. */
export interface SharedRunnerDeps {
  readonly logsDirectory: string;
  readonly defaultCwd: string;
  readonly homeId: () => string;
  readonly watcher: PidWatcher;
  readonly emit: (event: EventInput) => void;
  readonly persist: () => void;
  /** Records a launch durably before its spawn (see RunnerDeps.recordLaunch). */
  readonly recordLaunch: (entry: LaunchEntry) => Promise<void>;
  readonly logError: (message: string) => void;
}

// The class below carries the shared fields as its own (copied in the constructor).
export interface InstanceRunnerDeps extends Omit<SharedRunnerDeps, 'recordLaunch'> {}

/**
 * One instance's RunnerDeps. The daemon-wide functions are the shared ones (copied, not
 * wrapped), and the instance's own answers are methods on the prototype: an idle app holds no
 * closures here (with the bundle's keepNames each closure costs ~300 bytes; the ten per app
 * these were cost ~0.3 MB per 100 apps).
 */
export class InstanceRunnerDeps implements RunnerDeps {
  readonly app: string;
  readonly index: number;
  readonly #entry: AppEntry;
  readonly #recordLaunch: SharedRunnerDeps['recordLaunch'];

  constructor(shared: SharedRunnerDeps, entry: AppEntry, index: number) {
    const { recordLaunch, ...rest } = shared;
    Object.assign(this, rest);
    this.#recordLaunch = recordLaunch;
    this.app = entry.spec.name;
    this.index = index;
    this.#entry = entry;
  }

  spec(): AppSpec {
    return this.#entry.spec;
  }

  desire(): Desire {
    return this.#entry.desire();
  }

  recordLaunch(launchId: string): Promise<void> {
    return this.#recordLaunch({ app: this.#entry.spec.name, instance: this.index, launchId });
  }

  launchMarker(launchId: string): string {
    return formatLaunchMarker({ homeId: this.homeId(), app: this.#entry.spec.name, instance: this.index, launchId });
  }
}
