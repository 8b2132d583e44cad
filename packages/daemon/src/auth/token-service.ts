import { nodeCrypto } from '@owl/rpc';
import path from 'node:path';
import type { CreatedToken, Role, TokenInfo } from '@owl/rpc';
import { isRole } from '@owl/rpc/contract';
import { AuthFailure } from './auth-failure.ts';
import { loadSigningKey, type SigningKey } from './signing-key.ts';
import { TOKENS_FILE, TokenStore, type TokenRecord } from './token-store.ts';

const ISSUER = 'owld';
const ALGORITHM = 'HS256';

/** Who a verified token speaks for. */
export interface TokenIdentity {
  readonly tokenId: string;
  readonly subject: string;
  readonly role: Role;
}

function infoOf(record: TokenRecord): TokenInfo {
  return { id: record.id, name: record.name, role: record.role, createdAt: record.createdAt, expiresAt: record.expiresAt, revoked: record.revokedAt !== null };
}

type Jose = typeof import('jose');

interface LoadedTokens {
  key: SigningKey;
  store: TokenStore;
  /** jose is loaded with the key: a daemon that never issues or checks a token never loads it. */
  jose: Jose;
}

function failureOf(error: unknown, { errors: joseErrors }: Jose): AuthFailure {
  if (error instanceof AuthFailure) return error;
  if (error instanceof joseErrors.JWTExpired) return new AuthFailure('expired', 'token expired; create a new one with owl token create');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new AuthFailure('bad_signature', 'token signature does not verify: it was not issued by this daemon or was altered');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new AuthFailure('invalid_claims', `token claim "${error.claim}" is ${error.reason === 'missing' ? 'missing' : 'invalid'}`);
  }
  return new AuthFailure('malformed', 'malformed token: expected a JWT issued by owl token create');
}

/**
 * Issues, lists, revokes and verifies the TCP plane's JWTs. Keys and the token list are
 * loaded on first use, so a daemon that never issues tokens never creates keys/.
 */
export class TokenService {
  readonly #keysDirectory: string;
  #loaded: Promise<LoadedTokens> | undefined;

  constructor(keysDirectory: string) {
    this.#keysDirectory = keysDirectory;
  }

  /** Loads the key and token list now; the TCP plane calls this before it listens. */
  async load(): Promise<void> {
    await this.#state();
  }

  async create(options: { role: Role; ttlMs: number; name?: string }, now: Date = new Date()): Promise<CreatedToken> {
    const { key, store, jose } = await this.#state();
    const id = nodeCrypto().randomBytes(8).toString('hex');
    const name = options.name ?? null;
    const expiresAt = new Date(now.getTime() + options.ttlMs);
    const token = await new jose.SignJWT({ role: options.role })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: key.keyId })
      .setIssuer(ISSUER)
      .setSubject(name ?? `token:${id}`)
      .setJti(id)
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(key.secret);
    // Stored with second precision, like the `exp` claim that decides.
    const record = await store.add({
      id,
      name,
      role: options.role,
      createdAt: now.toISOString(),
      expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000).toISOString(),
    });
    return { ...infoOf(record), token };
  }

  async list(): Promise<TokenInfo[]> {
    const { store } = await this.#state();
    return store.live().map(infoOf);
  }

  async revoke(id: string): Promise<TokenInfo> {
    const { store } = await this.#state();
    return infoOf(await store.revoke(id));
  }

  /** Checks signature, `exp`, required claims and the token list; throws AuthFailure. */
  async verify(token: string): Promise<TokenIdentity> {
    const { key, store, jose } = await this.#state();
    let payload;
    try {
      ({ payload } = await jose.jwtVerify(token, key.secret, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        requiredClaims: ['exp', 'jti', 'sub', 'iat'],
      }));
    } catch (error) {
      throw failureOf(error, jose);
    }
    const id = payload.jti as string;
    if (!isRole(payload.role)) throw new AuthFailure('invalid_claims', 'token claim "role" is invalid: expected viewer, operator or admin');
    const record = store.get(id);
    if (!record) throw new AuthFailure('unknown_token', `token "${id.slice(0, 64)}" is not known to this daemon`, id);
    if (record.revokedAt) throw new AuthFailure('revoked', `token "${id}" was revoked`, id);
    // The expiry recorded at issue bounds the token too: a valid signature over a later exp
    // (a leaked or rotated key) does not extend it.
    if (Date.parse(record.expiresAt) <= Date.now()) {
      throw new AuthFailure('expired', `token "${id}" expired at ${record.expiresAt}; create a new one with owl token create`, id);
    }
    // The stored role decides; a genuine token never disagrees with its record.
    if (record.role !== payload.role) throw new AuthFailure('invalid_claims', 'token claim "role" does not match its record', id);
    return { tokenId: id, subject: payload.sub as string, role: record.role };
  }

  #state(): Promise<LoadedTokens> {
    this.#loaded ??= (async () => ({
      key: await loadSigningKey(this.#keysDirectory),
      store: await TokenStore.open(path.join(this.#keysDirectory, TOKENS_FILE)),
      jose: await import('jose'),
    }))();
    // A failed load is retried next time rather than cached forever.
    this.#loaded.catch(() => (this.#loaded = undefined));
    return this.#loaded;
  }
}
