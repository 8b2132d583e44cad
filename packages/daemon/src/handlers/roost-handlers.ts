import type { Handlers } from '@owl/rpc/server';
import type { roostMethods } from '@owl/rpc/contract';
import type { RoostLoader } from '../roost/lazy-roost.ts';

type RoostHandlers = Pick<Handlers, keyof typeof roostMethods>;

export function createRoostHandlers(roost: RoostLoader): RoostHandlers {
  return {
    'roost.prepare': async (params) => (await roost()).prepare(params),
    'roost.upload': async (params) => (await roost()).upload(params),
    'roost.commit': async (params) => (await roost()).commit(params),
    'roost.rollback': async (params) => (await roost()).rollback(params),
    'roost.versions': async (params) => (await roost()).versions(params),
    'roost.status': async (params) => (await roost()).status(params),
  };
}
