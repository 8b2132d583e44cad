import type { IncomingMessage } from 'node:http';
import { OwlError } from '@owl/rpc';
import type { Session } from '@owl/rpc/server';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import { AuthFailure } from './auth-failure.ts';
import type { FailureLimiter } from './failure-limiter.ts';
import type { TokenService } from './token-service.ts';
import { addressKey, isLoopback, plainAddress } from '../planes/address-key.ts';
import { looksLikeNodeToken } from './node-token-claim.ts';

/** The caller's address, with IPv4-mapped IPv6 ("::ffff:1.2.3.4") folded to plain IPv4. */
export function remoteAddressOf(request: IncomingMessage): string {
  return plainAddress(request.socket.remoteAddress);
}

function bearerToken(request: IncomingMessage): string {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new AuthFailure('missing', 'missing token: send "Authorization: Bearer <token>" (create one with owl token create)');
  }
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  if (!match?.[1]) throw new AuthFailure('malformed', 'malformed Authorization header: expected "Bearer <token>"');
  return match[1];
}

export interface RequestAuthenticatorDeps {
  tokens: TokenService;
  /** Checks a cluster node's token (role `node`, signed with the cluster key). */
  verifyNodeToken?: (token: string) => Promise<{ subject: string; role: 'node' }>;
  limiter: FailureLimiter;
  events: EventBus;
  log: DaemonLog;
}

function blockedError(address: string, blockedFor: number): OwlError {
  return new OwlError('OWL_TOO_MANY_REQUESTS', `too many failed authentications from ${address}; try again in ${Math.ceil(blockedFor / 1000)} s`);
}

/**
 * Turns an HTTP request on the TCP plane into a Session, or refuses it: blocked addresses
 * get OWL_TOO_MANY_REQUESTS (429), bad tokens AuthFailure (401). Every failure is an
 * `auth_failed` event and a log line naming the address and the reason, never the token.
 *
 * Failures are counted per address key (IPv4 address, IPv6 /64). A blocked remote address
 * is refused before its token is looked at. Loopback is different: every local process
 * shares 127.0.0.1, so there a block refuses failing tokens only and a valid token still
 * gets in; otherwise one local process could lock every local user out.
 */
export function createRequestAuthenticator(deps: RequestAuthenticatorDeps): (request: IncomingMessage) => Promise<Session> {
  return async (request) => {
    const address = remoteAddressOf(request);
    const key = addressKey(address);
    const blockedFor = deps.limiter.blockedFor(key);
    if (blockedFor > 0 && !isLoopback(address)) throw blockedError(address, blockedFor);
    try {
      const token = bearerToken(request);
      const identity = deps.verifyNodeToken && looksLikeNodeToken(token) ? await deps.verifyNodeToken(token) : await deps.tokens.verify(token);
      return { role: identity.role, plane: 'tcp', subject: identity.subject, remoteAddress: address };
    } catch (error) {
      if (!(error instanceof AuthFailure)) {
        // Our fault (an unreadable key or token list), not the caller's: no strike against it.
        deps.log.error(`cannot check tokens: ${error instanceof Error ? error.message : String(error)}`);
        throw new OwlError('OWL_INTERNAL', 'the daemon cannot check tokens right now; see its log');
      }
      const failure = error;
      const path = (request.url ?? '').split('?')[0]?.slice(0, 100) ?? '';
      deps.events.emit({
        type: 'auth_failed',
        data: { address, reason: failure.reason, path, ...(failure.tokenId ? { tokenId: failure.tokenId } : {}) },
      });
      deps.log.warn(`auth failed from ${address} on ${path}: ${failure.reason}`);
      if (blockedFor > 0) throw blockedError(address, blockedFor);
      if (deps.limiter.recordFailure(key)) {
        deps.events.emit({ type: 'auth_blocked', data: { address: key } });
        deps.log.warn(`blocking ${key}: too many failed authentications`);
      }
      throw failure;
    }
  };
}
