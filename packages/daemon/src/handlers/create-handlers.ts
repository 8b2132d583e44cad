import type { Handlers } from '@owl/rpc/server';
import type { EventBus } from '../events/event-bus.ts';
import type { Supervisor } from '../supervise/supervisor.ts';

export interface DaemonFacts {
  pid: number;
  version: string;
  home: string;
  startedAt: Date;
  planes(): Array<{ kind: 'local' | 'tcp'; address: string; tls?: boolean; fingerprint?: string }>;
  requestShutdown(withApps: boolean): void;
}

/** Thin handlers: each maps one contract method onto a service call. */
export function createHandlers(daemon: DaemonFacts, supervisor: Supervisor, events: EventBus): Handlers {
  return {
    'daemon.ping': () => ({ pong: true, pid: daemon.pid, version: daemon.version }),
    'daemon.status': () => ({
      pid: daemon.pid,
      version: daemon.version,
      home: daemon.home,
      startedAt: daemon.startedAt.toISOString(),
      uptimeMs: Date.now() - daemon.startedAt.getTime(),
      planes: daemon.planes(),
      apps: supervisor.counts(),
    }),
    'daemon.shutdown': ({ withApps }) => {
      daemon.requestShutdown(withApps);
      return { ok: true };
    },
    'apps.list': () => supervisor.list(),
    'apps.describe': ({ name }) => supervisor.describe(name),
    'apps.create': ({ spec, start }) => supervisor.create(spec, start),
    'apps.start': ({ target }) => supervisor.start(target),
    'apps.stop': ({ target }) => supervisor.stop(target),
    'apps.restart': ({ target }) => supervisor.restart(target),
    'apps.delete': ({ target }) => supervisor.delete(target),
    'apps.apply': ({ apps, prune }) => supervisor.apply(apps, prune),
    'events.list': ({ limit, app }) => events.recent(limit, app),
    'events.follow': ({ app }, context) => {
      let stopListening = (): void => undefined;
      const subscription = context.openSubscription(() => stopListening());
      stopListening = events.listen((event) => {
        if (!app || event.app === app) subscription.push(event);
      });
      return { subscription: subscription.id };
    },
  };
}
