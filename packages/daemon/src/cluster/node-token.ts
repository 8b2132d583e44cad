import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { AuthFailure } from '../auth/auth-failure.ts';
import { NODE_TOKEN_ISSUER_PREFIX } from '../auth/node-token-claim.ts';

const ALGORITHM = 'HS256';
export const NODE_TOKEN_TTL_S = 60;
/** A node token living longer than this is refused even when signed: they are meant to be short. */
const MAX_NODE_TOKEN_TTL_S = 300;

export function nodeTokenIssuer(cluster: string): string {
  return `${NODE_TOKEN_ISSUER_PREFIX}${cluster}`;
}

/** A short-lived token one daemon sends another over the TCP plane: role `node`, signed with the cluster key. */
export async function issueNodeToken(key: Uint8Array, cluster: string, nodeId: string, now: number = Date.now()): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({ role: 'node' })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(nodeTokenIssuer(cluster))
    .setSubject(`node:${nodeId}`)
    .setJti(randomBytes(8).toString('hex'))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + NODE_TOKEN_TTL_S)
    .sign(key);
}

/** Checks a node token against this daemon's cluster key and name; throws AuthFailure. */
export async function verifyNodeToken(key: Uint8Array, cluster: string, token: string): Promise<{ subject: string; role: 'node' }> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], issuer: nodeTokenIssuer(cluster), requiredClaims: ['exp', 'iat', 'sub'] }));
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'JWTExpired') throw new AuthFailure('expired', 'node token expired');
    if (name === 'JWSSignatureVerificationFailed') throw new AuthFailure('bad_signature', 'node token not signed with this cluster\'s key');
    throw new AuthFailure('invalid_claims', `node token refused: ${(error as Error).message}`);
  }
  if (payload.role !== 'node') throw new AuthFailure('invalid_claims', 'node token claim "role" must be node');
  if ((payload.exp as number) - (payload.iat as number) > MAX_NODE_TOKEN_TTL_S) throw new AuthFailure('invalid_claims', `node token lives longer than ${MAX_NODE_TOKEN_TTL_S} s`);
  return { subject: payload.sub as string, role: 'node' };
}
