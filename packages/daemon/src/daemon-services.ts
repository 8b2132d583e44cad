import { homedir } from 'node:os';
import type { HomePaths } from './home/owl-home.ts';
import type { DaemonLog } from './daemon-log/daemon-log.ts';
import type { StateWriter } from './state/state-writer.ts';
import type { LaunchJournal } from './state/launch-journal.ts';
import type { HomeHealth } from './home/home-health.ts';
import { lazyHomeId } from './adopt/launch-marker.ts';
import type { DaemonState } from './state/daemon-state.ts';
import type { DaemonConfig } from './config/daemon-config.ts';
import { EventBus } from './events/event-bus.ts';
import { Supervisor } from './supervise/supervisor.ts';
import { LogService } from './app-logs/log-service.ts';
import { MetricsService } from './metrics/metrics-service.ts';
import { METRICS_INTERVAL_ENV, resolveMetricsInterval } from './metrics/metrics-interval.ts';
import { HealthService } from './health/health-service.ts';
import { TokenService } from './auth/token-service.ts';
import { startAudit } from './audit/start-audit.ts';
import { startWebhooks } from './webhooks/start-webhooks.ts';
import type { WebhookConfig } from './config/webhooks-config.ts';
import type { RoostPointerStore } from './roost/roost-pointers.ts';
import { lazyRoost, type RoostLoader } from './roost/lazy-roost.ts';
import { restartBoundApps } from './roost/restart-bound-apps.ts';
import path from 'node:path';

const METRICS_START_DELAY_MS = 1_000;
const LOGGED_EVENTS = new Set(['state', 'exit', 'budget_spent', 'health', 'health_kill', 'max_memory']);

export interface ServiceOptions {
  paths: HomePaths;
  config: DaemonConfig;
  log: DaemonLog;
  state: DaemonState;
  writer: StateWriter<DaemonState>;
  /** Where launches are recorded before their spawn. */
  launches: LaunchJournal;
  /** Which writes to OWL_HOME are failing, for `owl daemon status`. */
  homeHealth: HomeHealth;
  metricsIntervalMs?: number;
}

/** Everything the daemon runs, built with its dependencies passed in (no god object). */
export interface DaemonServices {
  events: EventBus;
  supervisor: Supervisor;
  logs: LogService;
  metrics: MetricsService;
  health: HealthService;
  tokens: TokenService;
  audit: Awaited<ReturnType<typeof startAudit>>;
  webhooks: ReturnType<typeof startWebhooks>;
  /** The roost service, loaded on first use. */
  roost: RoostLoader;
  /** The newest state handed to the writer (what shutdown persists last). */
  lastState(): DaemonState;
}

/** Builds the services; audit and webhooks listen before boot so adoptions are recorded too. */
export async function createServices(options: ServiceOptions): Promise<DaemonServices> {
  const { paths, config, log, writer } = options;
  const events = new EventBus();
  const audit = await startAudit(paths.audit, events, log, { health: options.homeHealth });
  const webhooks = startWebhooks(config.webhooks, events, log);
  let lastState = options.state;
  // The supervisor snapshots apps only; the roost pointers ride along in every write.
  let roosts = options.state.roosts ?? {};
  const logs = new LogService({ logsDirectory: paths.logs, info: (message) => log.info(message), warn: (message) => log.warn(message) });
  // A persisted change is snapshotted when the writer gets to it (or when anything reads the
  // state first): a burst of changes, such as 100 launches of one apply, makes a few snapshots.
  let unsnapshotted: (() => DaemonState) | undefined;
  const settle = (next: DaemonState): DaemonState => {
    unsnapshotted = undefined;
    lastState = { ...next, roosts };
    logs.syncApps(next.apps);
    return lastState;
  };
  const current = (): DaemonState => (unsnapshotted ? settle(unsnapshotted()) : lastState);
  const persist = (snapshot: () => DaemonState): void => {
    unsnapshotted = snapshot;
    writer.updateWith(current);
  };
  const commit = (next: DaemonState): Promise<void> => writer.save(settle(next));
  const roostPointers: RoostPointerStore = {
    get: () => roosts,
    save: (next) => {
      roosts = next;
      lastState = { ...current(), roosts };
      return writer.save(lastState);
    },
  };
  const interval = resolveMetricsInterval(options.metricsIntervalMs ?? process.env[METRICS_INTERVAL_ENV]);
  if (interval.warning) log.warn(interval.warning);
  const metrics: MetricsService = new MetricsService({ intervalMs: interval.intervalMs, instances: () => supervisor.runners(), log, historyFile: paths.metricsHistory });
  // `owl ls` reads the latest tick: no pidusage call per list.
  const supervisor = new Supervisor({ logsDirectory: paths.logs, defaultCwd: homedir(), homeId: lazyHomeId(paths.home), events, log, persist, commit, launches: options.launches, usage: async (pids) => metrics.usageOf(pids) });
  const health = new HealthService({ instances: () => supervisor.runners(), events, log, defaultCwd: homedir(), treeOf: (pid) => metrics.treeOf(pid) });
  events.listen((event) => {
    if (LOGGED_EVENTS.has(event.type)) log.info(`${event.type} ${event.app ?? ''}#${event.instance ?? 0} ${JSON.stringify(event.data)}`);
  });
  const tokens = new TokenService(paths.keys);
    const roost = lazyRoost({ directory: path.join(paths.home, 'roost'), configFile: paths.config, pointers: roostPointers, events, restartBound: (name) => restartBoundApps(supervisor, name), warn: (message) => log.warn(message) });
  return { events, supervisor, logs, metrics, health, tokens, audit, webhooks, roost, lastState: current };
}

/** Boots supervision: paused writers are resumed first, then apps adopted, then the loops start. */
export async function startServices(services: DaemonServices, state: DaemonState): Promise<void> {
  // Writers a crashed daemon left paused mid-rotation continue before anything else runs.
  services.logs.recover();
  await services.supervisor.boot(state);
  services.logs.start();
  services.health.start();
  // A crash between a roost's pointer write and its link flip is mended at boot, not at the first roost call.
  if (Object.keys(state.roosts ?? {}).length > 0) void services.roost().catch(() => undefined); // logged by the loader
  // Deferred: loading the saved history and the first tick must not hold up the first
  // answers, `owl daemon start`'s among them.
  setTimeout(() => void services.metrics.start(), METRICS_START_DELAY_MS).unref();
}

/** Stops every service in dependency order; apps keep running unless `withApps`. */
export async function stopServices(services: DaemonServices, withApps: boolean): Promise<void> {
  services.health.stop();
  await services.metrics.stop();
  await services.supervisor.shutdown(withApps);
  await services.logs.stop();
  services.webhooks.close();
  await services.audit.close();
}

/** A config reload's new webhooks: the old endpoints stop (undelivered events are logged), the new ones listen. */
export function replaceWebhooks(services: DaemonServices, configs: readonly WebhookConfig[], log: DaemonLog): void {
  services.webhooks.close();
  services.webhooks = startWebhooks(configs, services.events, log);
}
