import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppRow } from '@owl/rpc';
import { createFleetGauges, type FleetSeries } from './fleet-prometheus.ts';

export interface MetricsSource {
  version: string;
  startedAt: Date;
  listApps(): Promise<AppRow[]>;
  /** The fleet, when this daemon leads a cluster; null otherwise. */
  fleet?(): Promise<FleetSeries | null>;
}

export interface PrometheusMetrics {
  readonly contentType: string;
  /** One scrape: reads the app table once, then renders the text format. */
  render(): Promise<string>;
}

/**
 * `/metrics` in the Prometheus text format, built with prom-client: the daemon's own
 * process metrics (prefixed `owld_`) plus one series per app instance.
 */
export function createPrometheusMetrics(source: MetricsSource): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'owld_' });
  const gauge = (name: string, help: string, labelNames: string[] = ['app', 'instance']): Gauge => new Gauge({ name, help, labelNames, registers: [registry] });

  const info = gauge('owld_info', 'The daemon, with its version as a label; always 1.', ['version']);
  const uptime = gauge('owld_uptime_seconds', 'Seconds since the daemon started.', []);
  const instances = gauge('owl_app_instances', 'App instances the daemon supervises, by status.', ['status']);
  const status = gauge('owl_app_status', 'Current status of an app instance: 1 for the status label it is in.', ['app', 'instance', 'status']);
  const up = gauge('owl_app_up', '1 when the app instance has a live process.');
  const pid = gauge('owl_app_pid', 'Process id of the app instance (absent when not running).');
  const restarts = gauge('owl_app_restarts', 'Restarts of the app instance since it was created or reset.');
  const appUptime = gauge('owl_app_uptime_seconds', 'Seconds the app instance has been running.');
  const cpu = gauge('owl_app_cpu_percent', 'CPU use of the app instance in percent of one core.');
  const memory = gauge('owl_app_memory_bytes', 'Resident memory of the app instance in bytes.');
  const perApp = [status, up, pid, restarts, appUptime, cpu, memory, instances];

  const fill = (rows: AppRow[]): void => {
    // Series of deleted apps must disappear, so every scrape starts from empty.
    for (const metric of perApp) metric.reset();
    info.set({ version: source.version }, 1);
    uptime.set((Date.now() - source.startedAt.getTime()) / 1000);
    const byStatus = new Map<string, number>();
    for (const row of rows) {
      const labels = { app: row.name, instance: String(row.instance) };
      byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
      status.set({ ...labels, status: row.status }, 1);
      up.set(labels, row.pid === null ? 0 : 1);
      restarts.set(labels, row.restarts);
      if (row.pid !== null) {
        pid.set(labels, row.pid);
        appUptime.set(labels, row.uptimeMs / 1000);
      }
      if (row.cpu !== null) cpu.set(labels, row.cpu);
      if (row.memory !== null) memory.set(labels, row.memory);
    }
    for (const [name, count] of byStatus) instances.set({ status: name }, count);
  };

  const fillFleet = createFleetGauges(registry);
  let last: Promise<unknown> = Promise.resolve();
  return {
    contentType: registry.contentType,
    render() {
      // Scrapes run one at a time: two interleaved fills would mix their rows.
      const next = last.then(async () => {
        fill(await source.listApps());
        fillFleet(source.fleet ? await source.fleet().catch(() => null) : null);
        return registry.metrics();
      });
      last = next.catch(() => undefined);
      return next;
    },
  };
}
