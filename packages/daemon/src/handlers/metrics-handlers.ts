import type { Handlers } from '@owl/rpc/server';
import type { metricsMethods } from '@owl/rpc/contract';
import type { MetricsService } from '../metrics/metrics-service.ts';

type MetricsHandlers = Pick<Handlers, keyof typeof metricsMethods>;

export function createMetricsHandlers(metrics: MetricsService): MetricsHandlers {
  return {
    'metrics.get': ({ name, since, history }) => metrics.snapshot({ name, sinceMs: since, history }),
  };
}
