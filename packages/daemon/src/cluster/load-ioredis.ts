import type { Redis } from 'ioredis';

/**
 * ioredis, imported on demand so a daemon without a cluster never loads it. ioredis is
 * CommonJS: once bundled, its class may sit on `default` rather than on the named export.
 */
export async function loadRedisClass(): Promise<typeof Redis> {
  const loaded = (await import('ioredis')) as unknown as { Redis?: typeof Redis; default?: typeof Redis | { Redis?: typeof Redis } };
  const fallback = loaded.default;
  const found = loaded.Redis ?? (typeof fallback === 'function' ? fallback : fallback?.Redis);
  if (!found) throw new Error('ioredis did not load: no Redis class found');
  return found;
}
