import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';
import { durationWithin } from './units.ts';

/** The longest history the daemon keeps (its coarsest ring): 7 days. */
export const METRICS_HISTORY_MS = 7 * 24 * 60 * 60 * 1000;
/** What `metrics.get` looks back over when no `since` is given: 1 hour. */
export const METRICS_DEFAULT_SINCE_MS = 60 * 60 * 1000;

/** One downsampled history point: the average of every sample in [at, at + resolutionMs). */
export const metricsPointSchema = lazySchema(() => z.object({
  /** Start of the bucket, epoch milliseconds. */
  at: z.number(),
  /** CPU % (100 = one core for apps, all cores for the host). */
  cpu: z.number(),
  /** Bytes: tree RSS for apps, used memory for the host. */
  memory: z.number(),
}));
export type MetricsPoint = z.output<ReturnType<typeof metricsPointSchema>>;

export const diskUsageSchema = lazySchema(() => z.object({ mount: z.string(), fs: z.string(), type: z.string(), size: z.number(), used: z.number() }));
export const networkUsageSchema = lazySchema(() => z.object({
  iface: z.string(),
  rxBytes: z.number(),
  txBytes: z.number(),
  /** Bytes per second since the previous reading; null on the first one. */
  rxPerSec: z.number().nullable(),
  txPerSec: z.number().nullable(),
}));
export const gpuUsageSchema = lazySchema(() => z.object({
  vendor: z.string(),
  model: z.string(),
  /** Null where the driver does not report it (only nvidia-smi does on most machines). */
  utilization: z.number().nullable(),
  memoryUsed: z.number().nullable(),
  memoryTotal: z.number().nullable(),
  temperature: z.number().nullable(),
}));

/** Aggregates over the requested window, from the history points. */
export const metricsSummarySchema = lazySchema(() => z.object({ cpuAvg: z.number(), cpuMax: z.number(), memoryAvg: z.number(), memoryMax: z.number() }));
export type MetricsSummary = z.output<ReturnType<typeof metricsSummarySchema>>;

export const hostMetricsSchema = lazySchema(() => z.object({
  /** When cpu and memory were sampled; null before the first tick. */
  at: z.string().nullable(),
  /** % of all cores together, 0-100. */
  cpu: z.number().nullable(),
  cores: z.number(),
  memory: z.object({ total: z.number(), used: z.number(), available: z.number() }).nullable(),
  disks: z.array(diskUsageSchema()),
  network: z.array(networkUsageSchema()),
  gpus: z.array(gpuUsageSchema()),
  summary: metricsSummarySchema().nullable(),
  history: z.array(metricsPointSchema()),
}));
export type HostMetrics = z.output<ReturnType<typeof hostMetricsSchema>>;

/** One app instance: usage of its whole process tree. */
export const appMetricsSchema = lazySchema(() => z.object({
  name: z.string(),
  instance: z.number(),
  /** The root pid when the latest tick saw it alive, else null (and cpu/memory null). */
  pid: z.number().nullable(),
  at: z.string().nullable(),
  /** Processes in the tree at the latest tick (the app and all its descendants). */
  processes: z.number(),
  cpu: z.number().nullable(),
  memory: z.number().nullable(),
  summary: metricsSummarySchema().nullable(),
  history: z.array(metricsPointSchema()),
}));
export type AppMetrics = z.output<ReturnType<typeof appMetricsSchema>>;

export const metricsResultSchema = lazySchema(() => z.object({
  /** The sampling tick of the daemon. */
  intervalMs: z.number(),
  /** The window asked for. */
  sinceMs: z.number(),
  /** Width of each history point: 5 s up to 1 h back, 1 min up to 24 h, 10 min up to 7 d. */
  resolutionMs: z.number(),
  host: hostMetricsSchema(),
  apps: z.array(appMetricsSchema()),
}));
export type MetricsResult = z.output<ReturnType<typeof metricsResultSchema>>;

// History reaches back 7 days.
const since = lazySchema(() => durationWithin({ min: 1, max: METRICS_HISTORY_MS }));

export const metricsMethods = {
  'metrics.get': defineMethod({
    params: () => z.strictObject({
      name: z.string().min(1).max(64).optional(),
      since: since().default(METRICS_DEFAULT_SINCE_MS),
      /** False leaves the history arrays empty (summaries are still computed). */
      history: z.boolean().default(true),
    }),
    result: metricsResultSchema,
    role: 'viewer',
    summary: 'Host and per-app metrics: latest sample, summary and downsampled history.',
  }),
} as const;
