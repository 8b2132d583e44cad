import { OwlError } from '@owl/rpc';
import type { ClusterConfig } from './cluster-config.ts';

const PREFIX = 'owlj1.';

export interface JoinToken {
  readonly redis: ClusterConfig['redis'];
  readonly name: string;
  readonly key: Uint8Array;
}

/** One line, like `docker swarm join`'s: Redis location, cluster name and the cluster key. It is a secret. */
export function encodeJoinToken(token: JoinToken): string {
  const json = JSON.stringify({ r: token.redis, n: token.name, k: Buffer.from(token.key).toString('base64url') });
  return `${PREFIX}${Buffer.from(json).toString('base64url')}`;
}

export function decodeJoinToken(text: string): JoinToken {
  const invalid = (why: string): OwlError => new OwlError('OWL_INVALID_PARAMS', `token: not an owl join token (${why}); get one from owl cluster init on a node of the cluster`);
  const trimmed = text.trim();
  if (!trimmed.startsWith(PREFIX)) throw invalid(`expected it to start with ${PREFIX}`);
  let parsed: { r?: unknown; n?: unknown; k?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(trimmed.slice(PREFIX.length), 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalid('its payload is not JSON');
  }
  if (typeof parsed.n !== 'string' || typeof parsed.k !== 'string' || (typeof parsed.r !== 'string' && typeof parsed.r !== 'object')) throw invalid('fields missing');
  const key = new Uint8Array(Buffer.from(parsed.k, 'base64url'));
  if (key.length < 32) throw invalid('its key is too short');
  return { redis: parsed.r as ClusterConfig['redis'], name: parsed.n, key };
}
