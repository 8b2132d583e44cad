import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AuthFailure } from '../../src/auth/auth-failure.ts';
import { TokenService } from '../../src/auth/token-service.ts';

function tempKeys(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'owl-keys-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  return path.join(home, 'keys');
}

function secretOf(keys: string): Uint8Array {
  return new Uint8Array(Buffer.from(readFileSync(path.join(keys, 'jwt.key'), 'utf8').trim(), 'base64url'));
}

async function refusal(service: TokenService, token: string): Promise<AuthFailure> {
  const error = await service.verify(token).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthFailure);
  return error as AuthFailure;
}

describe('TokenService', () => {
  it('issues a JWT with sub, role, exp and jti that verifies to its identity', async () => {
    const keys = tempKeys();
    const service = new TokenService(keys);
    const now = new Date();
    const created = await service.create({ role: 'operator', ttlMs: 3_600_000, name: 'ci' }, now);
    const claims = decodeJwt(created.token);
    expect(claims).toMatchObject({ sub: 'ci', role: 'operator', jti: created.id, iss: 'owld' });
    expect(claims.exp).toBe(Math.floor(now.getTime() / 1000) + 3_600);
    expect(created.expiresAt).toBe(new Date((claims.exp as number) * 1000).toISOString());
    expect(await service.verify(created.token)).toEqual({ tokenId: created.id, subject: 'ci', role: 'operator' });
    const unnamed = await service.create({ role: 'viewer', ttlMs: 60_000 });
    expect(decodeJwt(unnamed.token).sub).toBe(`token:${unnamed.id}`);
  });

  it('keeps keys and the token list 0600 and never stores a token value', async () => {
    const keys = tempKeys();
    const service = new TokenService(keys);
    const created = await service.create({ role: 'admin', ttlMs: 60_000 });
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(keys, 'jwt.key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(keys, 'tokens.json')).mode & 0o777).toBe(0o600);
    const stored = readFileSync(path.join(keys, 'tokens.json'), 'utf8');
    expect(stored).toContain(created.id);
    expect(stored).not.toContain(created.token.split('.')[2]);
  });

  it('refuses expired, tampered, foreign, unknown and malformed tokens with their reason', async () => {
    const keys = tempKeys();
    const service = new TokenService(keys);
    const created = await service.create({ role: 'viewer', ttlMs: 60_000 });
    const secret = secretOf(keys);
    const past = Math.floor(Date.now() / 1000) - 120;

    const expired = await new SignJWT({ role: 'viewer' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('owld').setSubject('x').setJti(created.id).setIssuedAt(past - 60).setExpirationTime(past).sign(secret);
    expect((await refusal(service, expired)).reason).toBe('expired');

    const [header, payload, signature] = created.token.split('.') as [string, string, string];
    const promoted = Buffer.from(JSON.stringify({ ...decodeJwt(created.token), role: 'admin' })).toString('base64url');
    expect(payload).not.toBe(promoted);
    const tampered = await refusal(service, `${header}.${promoted}.${signature}`);
    expect(tampered.reason).toBe('bad_signature');
    expect(tampered.code).toBe('OWL_UNAUTHORIZED');

    const foreignSecret = new Uint8Array(32).fill(7);
    const foreign = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('owld').setSubject('x').setJti(created.id).setIssuedAt().setExpirationTime('1h').sign(foreignSecret);
    expect((await refusal(service, foreign)).reason).toBe('bad_signature');

    const unknown = await new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('owld').setSubject('x').setJti('feedfeedfeedfeed').setIssuedAt().setExpirationTime('1h').sign(secret);
    const unknownFailure = await refusal(service, unknown);
    expect(unknownFailure.reason).toBe('unknown_token');
    expect(unknownFailure.message).toBe('token "feedfeedfeedfeed" is not known to this daemon');

    const noExpiry = await new SignJWT({ role: 'viewer' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('owld').setSubject('x').setJti(created.id).setIssuedAt().sign(secret);
    const noExpiryFailure = await refusal(service, noExpiry);
    expect(noExpiryFailure.reason).toBe('invalid_claims');
    expect(noExpiryFailure.message).toBe('token claim "exp" is missing');

    const wrongRole = await new SignJWT({ role: 'root' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('owld').setSubject('x').setJti(created.id).setIssuedAt().setExpirationTime('1h').sign(secret);
    expect((await refusal(service, wrongRole)).reason).toBe('invalid_claims');

    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await refusal(service, unsigned)).reason).toBe('malformed');
    expect((await refusal(service, 'not-a-jwt')).reason).toBe('malformed');
  });

  it('refuses a token past the expiry recorded at issue, whatever its exp claim says', async () => {
    const keys = tempKeys();
    const created = await new TokenService(keys).create({ role: 'admin', ttlMs: 3_600_000 });
    const file = path.join(keys, 'tokens.json');
    const list = JSON.parse(readFileSync(file, 'utf8')) as { tokens: Array<{ id: string; expiresAt: string }> };
    const recordedExpiry = new Date(Date.now() - 1_000).toISOString();
    for (const record of list.tokens) record.expiresAt = recordedExpiry;
    writeFileSync(file, JSON.stringify(list));
    // A fresh service reads the list as a restarted daemon would; the token's own exp is an hour away.
    const failure = await refusal(new TokenService(keys), created.token);
    expect(failure.reason).toBe('expired');
    expect(failure.message).toBe(`token "${created.id}" expired at ${recordedExpiry}; create a new one with owl token create`);
  });

  it('remembers revocations across a reload of the key and token list', async () => {
    const keys = tempKeys();
    const created = await new TokenService(keys).create({ role: 'admin', ttlMs: 60_000 });
    const kept = await new TokenService(keys).create({ role: 'viewer', ttlMs: 60_000 });
    const service = new TokenService(keys);
    expect((await service.revoke(created.id)).revoked).toBe(true);
    const reloaded = new TokenService(keys);
    const failure = await refusal(reloaded, created.token);
    expect(failure.reason).toBe('revoked');
    expect(failure.message).toBe(`token "${created.id}" was revoked`);
    expect(failure.tokenId).toBe(created.id);
    expect((await reloaded.verify(kept.token)).role).toBe('viewer');
    expect((await reloaded.list()).map((token) => [token.id, token.revoked])).toEqual([
      [created.id, true],
      [kept.id, false],
    ]);
  });

  it('drops expired records from the list and fails closed on a corrupt list', async () => {
    const keys = tempKeys();
    const service = new TokenService(keys);
    await service.create({ role: 'viewer', ttlMs: 60_000 }, new Date(Date.now() - 120_000));
    const live = await service.create({ role: 'viewer', ttlMs: 60_000 });
    expect((await service.list()).map((token) => token.id)).toEqual([live.id]);
    expect(JSON.parse(readFileSync(path.join(keys, 'tokens.json'), 'utf8')).tokens).toHaveLength(1);

    writeFileSync(path.join(keys, 'tokens.json'), '{"version":1,"tokens":[{"id":');
    await expect(new TokenService(keys).verify(live.token)).rejects.toThrow(/tokens\.json:1:30: invalid JSON: expected a value, found the end of the file$/);
  });
});
