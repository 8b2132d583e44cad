import type { EventBus } from '../events/event-bus.ts';
import type { RoostPointerStore } from './roost-pointers.ts';
import type { RoostService } from './roost-service.ts';

export interface LazyRoostOptions {
  /** `<home>/roost`. */
  directory: string;
  configFile: string;
  pointers: RoostPointerStore;
  events: EventBus;
  restartBound(roost: string): Promise<string[]>;
  /** Told when the service cannot load or its links cannot be mended (the caller also gets the error). */
  warn(message: string): void;
}

/** The one roost service of a daemon, or the promise of it. */
export type RoostLoader = () => Promise<RoostService>;

/**
 * The roost code is loaded on the first roost call, or at boot only when state.json records a
 * roost (its link may need to follow the pointer after a crash): a daemon that never
 * publishes content pays nothing for it. A failed load is retried by the next call.
 */
export function lazyRoost(options: LazyRoostOptions): RoostLoader {
  let service: Promise<RoostService> | undefined;
  return () =>
    (service ??= import('./roost-service.ts')
      .then(async ({ RoostService }) => {
        const created = new RoostService({ directory: options.directory, configFile: options.configFile, pointers: options.pointers, events: options.events, restartBound: options.restartBound });
        await created.reconcileLinks();
        return created;
      })
      .catch((error: unknown) => {
        service = undefined;
        options.warn(`roost: ${String(error)}`);
        throw error;
      }));
}
