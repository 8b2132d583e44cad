import type { Handlers } from '@owl/rpc/server';
import type { EventBus } from '../events/event-bus.ts';
import type { Supervisor } from '../supervise/supervisor.ts';
import { createDaemonHandlers, type DaemonFacts } from './daemon-handlers.ts';
import { createAppHandlers } from './app-handlers.ts';
import { createEventHandlers } from './event-handlers.ts';

export interface Services {
  supervisor: Supervisor;
  events: EventBus;
}

/** Thin handlers, one file per domain: each maps a contract method onto a service call. */
export function createHandlers(daemon: DaemonFacts, services: Services): Handlers {
  return {
    ...createDaemonHandlers(daemon),
    ...createAppHandlers(services.supervisor),
    ...createEventHandlers(services.events),
  };
}
