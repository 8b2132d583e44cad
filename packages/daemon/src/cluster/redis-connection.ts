import { createRedisClient } from './load-ioredis.ts';
import type { Redis, RedisOptions } from 'ioredis';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import { fullJitterDelay } from '../webhooks/backoff-delay.ts';
import type { ClusterConfig } from './cluster-config.ts';

const RECONNECT_INITIAL_MS = 200;
const RECONNECT_MAX_MS = 5_000;
const COMMAND_TIMEOUT_MS = 2_000;

export interface RedisLinks {
  /** Scripts, reads, stream appends. Commands fail at once while disconnected (no offline queue). */
  readonly main: Redis;
  /** Blocking stream reads (fleet commands). */
  readonly blocking: Redis;
  /** Pub/sub: lease releases. */
  readonly subscriber: Redis;
  isUp(): boolean;
  /** Called on every (re)connection of the main link. */
  onUp(listener: () => void): void;
  close(): Promise<void>;
}

function connectionOptions(extra: RedisOptions): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: COMMAND_TIMEOUT_MS,
    // Capped exponential backoff with jitter, forever: a node outlives any Redis outage.
    retryStrategy: (times: number) => Math.max(50, fullJitterDelay(times, RECONNECT_INITIAL_MS, RECONNECT_MAX_MS)),
    ...extra,
  };
}

/**
 * Opens the three links a node uses. ioredis is imported here, dynamically, so a daemon
 * without a cluster block never loads it. `redis_down`/`redis_up` are emitted once per change.
 */
export async function openRedisLinks(config: ClusterConfig, events: EventBus, log: DaemonLog): Promise<RedisLinks> {
  const make = async (extra: RedisOptions): Promise<Redis> => {
    const client = await createRedisClient(config.redis, connectionOptions(extra));
    // Errors surface as close/reconnect; without a listener ioredis would print them.
    client.on('error', () => undefined);
    return client;
  };
  const main = await make({ commandTimeout: COMMAND_TIMEOUT_MS });
  const blocking = await make({});
  const subscriber = await make({ enableOfflineQueue: true });
  let up = false;
  let wasUp = false;
  const upListeners: Array<() => void> = [];
  main.on('ready', () => {
    up = true;
    if (wasUp) {
      log.info('redis reachable again');
      events.emit({ type: 'redis_up', data: { cluster: config.name } });
    }
    wasUp = true;
    for (const listener of upListeners) listener();
  });
  main.on('close', () => {
    if (!up) return;
    up = false;
    log.warn('redis unreachable: supervision goes on locally, reconnecting with backoff');
    events.emit({ type: 'redis_down', data: { cluster: config.name } });
  });
  for (const client of [main, blocking, subscriber]) client.connect().catch(() => undefined);
  return {
    main,
    blocking,
    subscriber,
    isUp: () => up,
    onUp: (listener) => upListeners.push(listener),
    close: async () => {
      for (const client of [main, blocking, subscriber]) client.disconnect(false);
    },
  };
}
