import { createRedisClient } from './load-ioredis.ts';
import type { ClusterConfig } from './cluster-config.ts';
import { OwlError } from '@owl/rpc';

const PROBE_TIMEOUT_MS = 3_000;

/** Checks that the Redis a join names answers, before config.json is changed. Loads ioredis only when called. */
export async function probeRedis(redis: ClusterConfig['redis']): Promise<void> {
  const options = { lazyConnect: true, connectTimeout: PROBE_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false };
  const client = await createRedisClient(redis, options);
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const where = typeof redis === 'string' ? redis.replace(/\/\/[^@/]*@/, '//***@') : 'cluster' in redis ? 'the Redis Cluster' : 'the Sentinel group';
    throw new OwlError('OWL_REDIS_UNAVAILABLE', `cannot reach Redis at ${where}: ${(error as Error).message}`, { cause: error });
  } finally {
    client.disconnect(false);
  }
}
