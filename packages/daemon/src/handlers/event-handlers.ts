import type { Handlers } from '@owl/rpc/server';
import type { eventMethods } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';

type EventHandlers = Pick<Handlers, keyof typeof eventMethods>;

export function createEventHandlers(events: EventBus): EventHandlers {
  return {
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
