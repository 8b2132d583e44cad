import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';
import { logLineSchema } from './log-methods.ts';
import { Duration } from './units.ts';

const empty = lazySchema(() => z.strictObject({}));
const label = lazySchema(() => z.string().regex(/^[A-Za-z0-9._-]{1,64}=[^\s]{0,128}$/, 'expected a label like site=nyc'));
const alias = lazySchema(() => z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected an alias of 1-64 letters, digits, dot, dash or underscore'));
const clusterName = lazySchema(() => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a cluster name of 1-64 letters, digits, dash or underscore'));

export const clusterNodeSchema = lazySchema(() => z.object({
  id: z.string(),
  alias: z.string(),
  labels: z.record(z.string(), z.string()),
  address: z.string().nullable(),
  version: z.string(),
  status: z.enum(['online', 'offline']),
  leader: z.boolean(),
  uptimeMs: z.number().nullable(),
  apps: z.record(z.string(), z.number()),
  host: z.object({ cpu: z.number(), memory: z.number(), memoryTotal: z.number(), diskFree: z.number().nullable() }).nullable(),
  lastSeen: z.string().nullable(),
}));
export type ClusterNode = z.output<ReturnType<typeof clusterNodeSchema>>;

export const clusterStatusSchema = lazySchema(() => z.object({
  name: z.string(),
  nodeId: z.string(),
  alias: z.string(),
  redis: z.enum(['up', 'down']),
  leader: z.object({ id: z.string(), alias: z.string().nullable(), term: z.number() }).nullable(),
  self: z.object({ leader: z.boolean(), term: z.number().nullable(), highestTerm: z.number(), bufferedSummaries: z.number() }),
  nodes: z.object({ online: z.number(), offline: z.number() }),
  apps: z.object({ total: z.number(), running: z.number() }),
}));
export type ClusterStatus = z.output<ReturnType<typeof clusterStatusSchema>>;

/** One app instance as a node reports it in its per-tick summary. */
export const fleetAppFieldsSchema = lazySchema(() => z.object({
  name: z.string(),
  instance: z.number(),
  status: z.string(),
  cpu: z.number().nullable(),
  memory: z.number().nullable(),
  restarts: z.number(),
}));

export const fleetAppSchema = lazySchema(() => z.object({ node: z.string(), nodeId: z.string(), ...fleetAppFieldsSchema().shape }));
export type FleetApp = z.output<ReturnType<typeof fleetAppSchema>>;

export const fleetPointSchema = lazySchema(() => z.object({
  at: z.string(),
  node: z.string(),
  nodeId: z.string(),
  cpu: z.number(),
  memory: z.number(),
  appsRunning: z.number(),
  appsTotal: z.number(),
}));

export const fleetCommandRowSchema = lazySchema(() => z.object({
  nodeId: z.string(),
  node: z.string(),
  status: z.enum(['ok', 'failed', 'expired', 'timeout', 'queued']),
  message: z.string(),
}));
export type FleetCommandRow = z.output<ReturnType<typeof fleetCommandRowSchema>>;

/** One node's answer to `fleet.logs`: its lines, or why there are none. */
export const fleetLogsRowSchema = lazySchema(() => z.object({
  nodeId: z.string(),
  node: z.string(),
  status: z.enum(['ok', 'failed', 'offline', 'no_address', 'unreachable']),
  message: z.string(),
  lines: z.array(logLineSchema()),
}));
export type FleetLogsRow = z.output<ReturnType<typeof fleetLogsRowSchema>>;

const targetSelector = lazySchema(() => ({
  nodes: z.array(z.string().min(1)).optional(),
  labels: z.array(label()).optional(),
  all: z.boolean().default(false),
}));

export const clusterMethods = {
  'cluster.init': defineMethod({
    params: () => z.strictObject({ redis: z.string().regex(/^(rediss?|redis\+sentinel):\/\/\S+$/, 'expected a redis:// or rediss:// URL, or redis+sentinel://host:port[,host:port]/master'), name: clusterName().default('owl'), alias: alias().optional(), labels: z.array(label()).default([]), address: z.string().optional(), redisCluster: z.boolean().default(false) }),
    result: () => z.object({ name: z.string(), nodeId: z.string(), token: z.string() }),
    role: 'admin',
    summary: 'Creates the cluster key, joins this daemon to the cluster and returns a join token.',
  }),
  'cluster.join': defineMethod({
    params: () => z.strictObject({ token: z.string().min(1), alias: alias().optional(), labels: z.array(label()).default([]), address: z.string().optional() }),
    result: () => z.object({ name: z.string(), nodeId: z.string() }),
    role: 'admin',
    summary: 'Joins this daemon to the cluster a join token names (config.json, then a reload).',
  }),
  'cluster.leave': defineMethod({
    params: empty,
    result: () => z.object({ left: z.string().nullable() }),
    role: 'admin',
    summary: 'Leaves the cluster: removes the cluster block from config.json and reloads.',
  }),
  'cluster.status': defineMethod({
    params: empty,
    result: clusterStatusSchema,
    role: 'viewer',
    summary: 'Reports the leader, its term, nodes online/offline and fleet totals.',
  }),
  'cluster.nodes': defineMethod({
    params: empty,
    result: () => z.array(clusterNodeSchema()),
    role: 'viewer',
    summary: 'Lists every node of the cluster with its heartbeat figures.',
  }),
  'cluster.stepDown': defineMethod({
    params: empty,
    result: () => z.object({ wasLeader: z.boolean(), term: z.number().nullable() }),
    role: 'admin',
    summary: 'Releases leadership at once when this daemon leads; another node takes over.',
  }),
  'fleet.ls': defineMethod({
    params: empty,
    result: () => z.array(fleetAppSchema()),
    role: 'viewer',
    summary: 'Every app on every node, from the cluster view the leader folds.',
  }),
  'fleet.metrics': defineMethod({
    params: () => z.strictObject({ since: Duration.default(3_600_000) }),
    result: () => z.array(fleetPointSchema()),
    role: 'viewer',
    summary: 'Per-node CPU, memory and app counts, one point a minute, from the fleet history.',
  }),
  'fleet.run': defineMethod({
    params: () => z.strictObject({
      action: z.enum(['start', 'stop', 'restart']),
      app: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected an app name'),
      ...targetSelector(),
      wait: z.boolean().default(true),
      // The CLI waits for the answer at most 120 s: the wait must end before that.
      timeout: Duration.default(30_000).refine((ms) => ms <= 100_000, 'expected a timeout of at most 100s'),
      ttl: Duration.default(3_600_000),
    }),
    result: () => z.object({ id: z.string(), rows: z.array(fleetCommandRowSchema()) }),
    role: 'operator',
    summary: 'Queues a signed start/stop/restart for the chosen nodes and waits for their results.',
  }),
  'fleet.logs': defineMethod({
    params: () => z.strictObject({
      app: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected an app name'),
      ...targetSelector(),
      lines: z.number().int().min(1).max(1_000).default(50),
    }),
    result: () => z.array(fleetLogsRowSchema()),
    role: 'viewer',
    summary: 'The last lines of one app on chosen nodes, fetched from each node\'s TCP plane with a node token.',
  }),
} as const;
