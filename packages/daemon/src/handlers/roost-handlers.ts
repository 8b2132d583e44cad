import type { Handlers } from '@owl/rpc/server';
import type { roostMethods } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';
import type { RoostPointerStore } from '../roost/roost-pointers.ts';
import type { RoostService } from '../roost/roost-service.ts';

type RoostHandlers = Pick<Handlers, keyof typeof roostMethods>;

export interface RoostHandlerDeps {
  /** `<home>/roost`. */
  directory: string;
  configFile: string;
  pointers: RoostPointerStore;
  events: EventBus;
}

/**
 * The roost code is loaded on the first roost call, not at daemon start: a daemon that never
 * publishes content pays nothing for it.
 */
export function createRoostHandlers(deps: RoostHandlerDeps): RoostHandlers {
  let service: Promise<RoostService> | undefined;
  const roost = (): Promise<RoostService> =>
    (service ??= import('../roost/roost-service.ts').then(async ({ RoostService }) => {
      const created = new RoostService(deps);
      await created.reconcileLinks();
      return created;
    }).catch((error: unknown) => {
      service = undefined;
      throw error;
    }));
  return {
    'roost.prepare': async (params) => (await roost()).prepare(params),
    'roost.upload': async (params) => (await roost()).upload(params),
    'roost.commit': async (params) => (await roost()).commit(params),
    'roost.rollback': async (params) => (await roost()).rollback(params),
    'roost.versions': async (params) => (await roost()).versions(params),
    'roost.status': async (params) => (await roost()).status(params),
  };
}
