import type { Handlers } from '@owl/rpc/server';
import type { appMethods } from '@owl/rpc/contract';
import { assertWorkingDirectories } from '../process/working-directory.ts';
import type { Supervisor } from '../supervise/supervisor.ts';

type AppHandlers = Pick<Handlers, keyof typeof appMethods>;

export function createAppHandlers(supervisor: Supervisor): AppHandlers {
  return {
    'apps.list': () => supervisor.list(),
    'apps.describe': ({ name }) => supervisor.describe(name),
    'apps.create': async ({ spec, start }) => {
      assertWorkingDirectories('apps.create', [{ path: 'spec', spec }]);
      return supervisor.create(spec, start);
    },
    'apps.start': ({ target }) => supervisor.start(target),
    'apps.stop': ({ target }) => supervisor.stop(target),
    'apps.restart': ({ target }) => supervisor.restart(target),
    'apps.reload': ({ target }) => supervisor.reload(target),
    'apps.delete': ({ target }) => supervisor.delete(target),
    'apps.stopOrphans': () => supervisor.stopOrphans(),
    'apps.apply': async ({ apps, prune }) => {
      assertWorkingDirectories('apps.apply', apps.map((spec, index) => ({ path: `apps[${index}]`, spec })));
      return supervisor.apply(apps, prune);
    },
  };
}
