import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';
import { ROLES } from './roles.ts';
import { parseDuration } from './units.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Every token expires: there are no forever tokens, and none longer than a year. */
export const MAX_TOKEN_TTL_MS = 365 * DAY_MS;
export const MIN_TOKEN_TTL_MS = MINUTE_MS;
export const DEFAULT_TOKEN_TTL_MS = 30 * DAY_MS;
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9._@:-]{1,64}$/;

/** "30d", "12h", "90m" or milliseconds, between a minute and a year. */
export const tokenTtl = lazySchema(() => z.union([z.string(), z.number()]).transform((value, ctx) => {
  const parsed = parseDuration(value);
  if (parsed === undefined || parsed < MIN_TOKEN_TTL_MS || parsed > MAX_TOKEN_TTL_MS) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a lifetime between 1m and 365d such as "30d", "12h" or milliseconds, received ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return parsed;
}));

/** What the daemon keeps about a token: never the token itself. */
export const tokenInfoSchema = lazySchema(() => z.object({
  id: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  expiresAt: z.string(),
  revoked: z.boolean(),
}));
export type TokenInfo = z.output<ReturnType<typeof tokenInfoSchema>>;

export const createdTokenSchema = lazySchema(() => z.object({
  id: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** The signed JWT; returned by this call only, never stored or listed. */
  token: z.string(),
}));
export type CreatedToken = z.output<ReturnType<typeof createdTokenSchema>>;

export const tokenMethods = {
  'tokens.create': defineMethod({
    params: () => z.strictObject({
      role: z.enum(ROLES),
      ttl: tokenTtl().default(DEFAULT_TOKEN_TTL_MS),
      name: z.string().regex(TOKEN_NAME_PATTERN, 'expected 1-64 characters of letters, digits, ".", "_", "@", ":" or "-"').optional(),
    }),
    result: createdTokenSchema,
    role: 'admin',
    summary: 'Issues a JWT for the TCP plane; the token is shown once.',
  }),
  'tokens.list': defineMethod({
    params: () => z.strictObject({}),
    result: () => z.array(tokenInfoSchema()),
    role: 'admin',
    summary: 'Lists tokens that have not expired (id, name, role, expiry), never their values.',
  }),
  'tokens.revoke': defineMethod({
    params: () => z.strictObject({ id: z.string().min(1).max(64) }),
    result: () => z.object({ id: z.string(), revoked: z.literal(true) }),
    role: 'admin',
    summary: 'Revokes a token by id; it is refused from then on, across restarts.',
  }),
} as const;
