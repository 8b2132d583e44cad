import { decodeJwt } from 'jose';

/** Node tokens name their cluster as issuer: `owl-cluster:<name>`. */
export const NODE_TOKEN_ISSUER_PREFIX = 'owl-cluster:';

/** True when the (unverified) token says it comes from a cluster node: it is then checked with the cluster key, not the token list. */
export function looksLikeNodeToken(token: string): boolean {
  try {
    const issuer = decodeJwt(token).iss;
    return typeof issuer === 'string' && issuer.startsWith(NODE_TOKEN_ISSUER_PREFIX);
  } catch {
    return false;
  }
}
