import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { OwlError, parseConfigJson, type Role } from '@owl/rpc';
import { ROLES } from '@owl/rpc/contract';
import { writeFileAtomic } from '../state/atomic-write.ts';

export const TOKENS_FILE = 'tokens.json';
/** Live (unexpired) tokens a home may hold; every unbounded input has a limit. */
export const MAX_TOKENS = 1_000;

const TokenRecordSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
});
const TokensFileSchema = z.object({ version: z.literal(1), tokens: z.array(TokenRecordSchema) });

/** What is remembered about an issued token: its claims, never the signed value. */
export type TokenRecord = Readonly<z.output<typeof TokenRecordSchema>>;

function isLive(record: TokenRecord, now: number): boolean {
  return Date.parse(record.expiresAt) > now;
}

/**
 * Issued tokens and their revocations in `keys/tokens.json` (0600). A token is accepted
 * only while its record is here and not revoked, so revocation survives restarts and a
 * token whose record is gone is refused. Expired records are dropped on the next write:
 * their tokens fail the `exp` check anyway.
 */
export class TokenStore {
  readonly #file: string;
  readonly #records = new Map<string, TokenRecord>();
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, records: TokenRecord[]) {
    this.#file = file;
    for (const record of records) this.#records.set(record.id, Object.freeze(record));
  }

  static async open(file: string): Promise<TokenStore> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new TokenStore(file, []);
      throw error;
    }
    const parsed = TokensFileSchema.safeParse(parseConfigJson(file, text));
    // Failing closed: an unreadable revocation list must not let revoked tokens back in.
    if (!parsed.success) throw new OwlError('OWL_CONFIG_INVALID', `${file} is not a token list: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return new TokenStore(file, parsed.data.tokens);
  }

  get(id: string): TokenRecord | undefined {
    return this.#records.get(id);
  }

  /** Unexpired records, oldest first. */
  live(now: number = Date.now()): TokenRecord[] {
    return [...this.#records.values()].filter((record) => isLive(record, now)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async add(record: { id: string; name: string | null; role: Role; createdAt: string; expiresAt: string }): Promise<TokenRecord> {
    if (this.live().length >= MAX_TOKENS) {
      throw new OwlError('OWL_LIMIT_EXCEEDED', `this daemon already holds ${MAX_TOKENS} unexpired tokens; revoke some first (owl token list, owl token revoke <id>)`);
    }
    const stored = Object.freeze({ ...record, revokedAt: null });
    this.#records.set(stored.id, stored);
    await this.#persist();
    return stored;
  }

  /** Marks the token revoked and returns once that is on disk; revoking twice is fine. */
  async revoke(id: string, now: Date = new Date()): Promise<TokenRecord> {
    const record = this.#records.get(id);
    if (!record || !isLive(record, now.getTime())) {
      throw new OwlError('OWL_NOT_FOUND', `token "${id.slice(0, 64)}" not found (expired or never issued); see owl token list`, { data: { id } });
    }
    if (record.revokedAt) return record;
    const revoked = Object.freeze({ ...record, revokedAt: now.toISOString() });
    this.#records.set(id, revoked);
    await this.#persist();
    return revoked;
  }

  #persist(): Promise<void> {
    // Writes are chained: two quick changes must not race on the same temp file.
    const next = this.#writing.then(() => {
      const tokens = this.live();
      for (const id of [...this.#records.keys()]) if (!tokens.some((record) => record.id === id)) this.#records.delete(id);
      return writeFileAtomic(this.#file, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`);
    });
    this.#writing = next.catch(() => undefined);
    return next;
  }
}
