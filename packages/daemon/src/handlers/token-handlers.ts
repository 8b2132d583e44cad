import type { Handlers } from '@owl/rpc/server';
import type { tokenMethods } from '@owl/rpc/contract';
import type { TokenService } from '../auth/token-service.ts';
import type { EventBus } from '../events/event-bus.ts';

type TokenHandlers = Pick<Handlers, keyof typeof tokenMethods>;

/** Token management; events record who issued or revoked which token id, never the token. */
export function createTokenHandlers(tokens: TokenService, events: EventBus): TokenHandlers {
  return {
    'tokens.create': async ({ role, ttl, name }, { session }) => {
      const created = await tokens.create({ role, ttlMs: ttl, ...(name === undefined ? {} : { name }) });
      events.emit({ type: 'token_created', data: { id: created.id, name: created.name, role, expiresAt: created.expiresAt, by: session.subject } });
      return created;
    },
    'tokens.list': () => tokens.list(),
    'tokens.revoke': async ({ id }, { session }) => {
      const revoked = await tokens.revoke(id);
      events.emit({ type: 'token_revoked', data: { id: revoked.id, name: revoked.name, by: session.subject } });
      return { id: revoked.id, revoked: true as const };
    },
  };
}
