import type { Handlers } from '@owl/rpc/server';
import type { metricsMethods } from '@owl/rpc/contract';
import type { MetricsService } from '../metrics/metrics-service.ts';

type MetricsHandlers = Pick<Handlers, keyof typeof metricsMethods>;

export function createMetricsHandlers(metrics: MetricsService): MetricsHandlers {
  return {
    'metrics.get': async ({ name, since, history }) => {
      await metrics.loadHostDetails();
      return metrics.snapshot({ name, sinceMs: since, history });
    },
  };
}
