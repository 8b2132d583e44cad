import * as z from 'zod';

/** ioredis Sentinel settings: the sentinels to ask and the master group name. */
const SentinelSchema = z.strictObject({
  sentinels: z.array(z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65_535) })).min(1),
  name: z.string().min(1),
  password: z.string().optional(),
  username: z.string().optional(),
  sentinelPassword: z.string().optional(),
});

/** The seed nodes of a Redis Cluster (every key of an owl cluster shares one hash slot). */
const RedisClusterSchema = z.strictObject({
  cluster: z.array(z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65_535) })).min(1),
  password: z.string().optional(),
  username: z.string().optional(),
  tls: z.boolean().optional(),
});

const SENTINEL_URL = /^redis\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^@/]+)\/([^/?#]+)$/;
const DEFAULT_SENTINEL_PORT = 26_379;

/**
 * `redis+sentinel://[user:password@]host:port[,host:port...]/master`: the sentinels to ask and
 * the master group they watch, as ioredis's Sentinel settings; null when the text is not one.
 * The user and password are the master's (a sentinel password needs the object form).
 */
export function sentinelFromUrl(url: string): z.output<typeof SentinelSchema> | null {
  const match = SENTINEL_URL.exec(url);
  if (!match) return null;
  const [, username, password, hosts, name] = match as unknown as [string, string | undefined, string | undefined, string, string];
  const sentinels: Array<{ host: string; port: number }> = [];
  for (const pair of hosts.split(',')) {
    const hostPort = /^([^:,]+)(?::(\d{1,5}))?$/.exec(pair.trim());
    const port = Number(hostPort?.[2] ?? DEFAULT_SENTINEL_PORT);
    if (!hostPort || port < 1 || port > 65_535) return null;
    sentinels.push({ host: hostPort[1] as string, port });
  }
  return {
    sentinels,
    name: decodeURIComponent(name),
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
  };
}

const RedisUrl = z.string().refine((url) => /^rediss?:\/\//.test(url) || sentinelFromUrl(url) !== null, 'expected a redis:// or rediss:// URL, or redis+sentinel://host:port[,host:port]/master');

/** The `cluster` block of `<OWL_HOME>/config.json`; absent means a single daemon. */
export const ClusterConfigSchema = z.strictObject({
  redis: z.union([RedisUrl, SentinelSchema, RedisClusterSchema]),
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a cluster name of 1-64 letters, digits, dash or underscore').default('owl'),
  alias: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
  labels: z.record(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), z.string().max(128)).default({}),
  /** Where other nodes reach this node's TCP plane (host:port); null when it has none. */
  address: z.string().nullable().default(null),
  leaseMs: z.number().int().min(300).max(60_000).default(3_000),
  renewMs: z.number().int().min(100).max(20_000).optional(),
  heartbeatMs: z.number().int().min(200).max(60_000).default(2_000),
  summaryMs: z.number().int().min(200).max(300_000).default(5_000),
});

export type ClusterConfig = Readonly<z.output<typeof ClusterConfigSchema>> & { readonly renewMs: number };

/** Fills what depends on other fields: renewal every third of the lease unless told. */
export function resolveClusterConfig(parsed: z.output<typeof ClusterConfigSchema>): ClusterConfig {
  const renewMs = parsed.renewMs ?? Math.max(100, Math.floor(parsed.leaseMs / 3));
  return Object.freeze({ ...parsed, labels: Object.freeze({ ...parsed.labels }), renewMs });
}

/** `owl cluster init --redis URL --redis-cluster`: the URL names one seed node of a Redis Cluster. */
export function redisClusterFromUrl(url: string): z.output<typeof RedisClusterSchema> {
  const parsed = new URL(url);
  return {
    cluster: [{ host: parsed.hostname, port: Number(parsed.port || 6379) }],
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: true } : {}),
  };
}
