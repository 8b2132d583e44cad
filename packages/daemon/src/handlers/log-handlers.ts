import type { Handlers } from '@owl/rpc/server';
import type { logMethods } from '@owl/rpc/contract';
import type { LogService } from '../app-logs/log-service.ts';

type LogHandlers = Pick<Handlers, keyof typeof logMethods>;

export function createLogHandlers(logs: LogService): LogHandlers {
  return {
    'logs.read': ({ name, lines, stream }) => logs.read({ name, stream }, lines),
    'logs.follow': ({ name, lines, stream }, context) => {
      const query = { name, stream };
      // Backlog and follow start in the same tick: no line falls between them or comes twice.
      // (The server holds pushes until the answer carrying the subscription id is out.)
      const backlog = lines > 0 ? logs.read(query, lines) : [];
      let stopFollowing = (): void => undefined;
      const subscription = context.openSubscription(() => stopFollowing());
      if (backlog.length > 0) subscription.push(backlog);
      stopFollowing = logs.follow(query, (batch) => subscription.push(batch));
      return { subscription: subscription.id };
    },
  };
}
