/** The sampling tick of the metrics service when nothing else is configured. */
export const DEFAULT_METRICS_INTERVAL_MS = 5_000;
const MIN_METRICS_INTERVAL_MS = 100;
const MAX_METRICS_INTERVAL_MS = 60 * 60 * 1000;

/** The environment variable that sets the tick (read once, at daemon start). */
export const METRICS_INTERVAL_ENV = 'OWL_METRICS_INTERVAL_MS';

/**
 * Resolves the metrics tick from a daemon option or the OWL_METRICS_INTERVAL_MS value: whole
 * milliseconds between 100 ms and 1 h. Anything else falls back to 5 s with a warning, because
 * a typo in the environment of a service must not keep the daemon from starting.
 */
export function resolveMetricsInterval(value: number | string | undefined): { intervalMs: number; warning?: string } {
  if (value === undefined || value === '') return { intervalMs: DEFAULT_METRICS_INTERVAL_MS };
  const parsed = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (Number.isInteger(parsed) && parsed >= MIN_METRICS_INTERVAL_MS && parsed <= MAX_METRICS_INTERVAL_MS) return { intervalMs: parsed };
  return {
    intervalMs: DEFAULT_METRICS_INTERVAL_MS,
    warning: `${METRICS_INTERVAL_ENV}: expected whole milliseconds between ${MIN_METRICS_INTERVAL_MS} and ${MAX_METRICS_INTERVAL_MS}, received ${JSON.stringify(value)}; using ${DEFAULT_METRICS_INTERVAL_MS}`,
  };
}
