import type { Handlers } from '@owl/rpc/server';
import type { appMethods } from '@owl/rpc/contract';
import type { Supervisor } from '../supervise/supervisor.ts';

type AppHandlers = Pick<Handlers, keyof typeof appMethods>;

export function createAppHandlers(supervisor: Supervisor): AppHandlers {
  return {
    'apps.list': () => supervisor.list(),
    'apps.describe': ({ name }) => supervisor.describe(name),
    'apps.create': ({ spec, start }) => supervisor.create(spec, start),
    'apps.start': ({ target }) => supervisor.start(target),
    'apps.stop': ({ target }) => supervisor.stop(target),
    'apps.restart': ({ target }) => supervisor.restart(target),
    'apps.reload': ({ target }) => supervisor.reload(target),
    'apps.delete': ({ target }) => supervisor.delete(target),
    'apps.apply': ({ apps, prune }) => supervisor.apply(apps, prune),
  };
}
