import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import { sentinelFromUrl, type ClusterConfig } from './cluster-config.ts';

interface IoredisModule {
  Redis: typeof Redis;
  Cluster: typeof Cluster;
}

/**
 * ioredis, imported on demand so a daemon without a cluster never loads it. ioredis is
 * CommonJS: once bundled, its exports may sit on `default` rather than on the named ones.
 */
async function loadIoredis(): Promise<IoredisModule> {
  const loaded = (await import('ioredis')) as unknown as Partial<IoredisModule> & { default?: Partial<IoredisModule> | (typeof Redis & Partial<IoredisModule>) };
  const fallback = loaded.default;
  const RedisClass = loaded.Redis ?? fallback?.Redis ?? (typeof fallback === 'function' ? fallback : undefined);
  const ClusterClass = loaded.Cluster ?? fallback?.Cluster;
  if (!RedisClass || !ClusterClass) throw new Error('ioredis did not load: no Redis or Cluster class found');
  return { Redis: RedisClass, Cluster: ClusterClass };
}

/**
 * One client for the configured Redis: a URL, a Sentinel group or the seed nodes of a Redis
 * Cluster. A Cluster client answers the same commands (every key of a cluster sits in one
 * slot), so the rest of the code treats it as a Redis.
 */
export async function createRedisClient(redis: ClusterConfig['redis'], options: RedisOptions): Promise<Redis> {
  const { Redis: RedisClass, Cluster: ClusterClass } = await loadIoredis();
  if (typeof redis === 'string') {
    const sentinel = sentinelFromUrl(redis);
    if (sentinel === null) return new RedisClass(redis, options);
    redis = sentinel;
  }
  if ('cluster' in redis) {
    const { lazyConnect, enableOfflineQueue, retryStrategy, ...nodeOptions } = options;
    const clusterOptions: ClusterOptions = {
      lazyConnect,
      enableOfflineQueue,
      clusterRetryStrategy: retryStrategy ? (times) => retryStrategy(times) ?? null : () => null,
      redisOptions: { ...nodeOptions, password: redis.password, username: redis.username, ...(redis.tls ? { tls: {} } : {}) },
    };
    return new ClusterClass(redis.cluster, clusterOptions) as unknown as Redis;
  }
  return new RedisClass({ ...options, sentinels: redis.sentinels, name: redis.name, password: redis.password, username: redis.username, sentinelPassword: redis.sentinelPassword });
}
