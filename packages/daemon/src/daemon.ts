import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { RpcServer, type Listener } from '@owl/rpc/server';
import { homePaths, type HomePaths } from './home/owl-home.ts';
import { acquirePidLock, type PidLock } from './lock/pid-lock.ts';
import { openDaemonLog, type DaemonLog } from './log/daemon-log.ts';
import { loadStateFile, StateWriter } from './state/state-file.ts';
import { emptyState, parseDaemonState, type DaemonState } from './state/daemon-state.ts';
import { EventBus } from './events/event-bus.ts';
import { Supervisor } from './supervise/supervisor.ts';
import { LogService } from './logs/log-service.ts';
import { MetricsService } from './metrics/metrics-service.ts';
import { METRICS_INTERVAL_ENV, resolveMetricsInterval } from './metrics/metrics-interval.ts';
import { HealthService } from './health/health-service.ts';
import { createHandlers } from './handlers/create-handlers.ts';
import { startManagementPlane } from './planes/management-plane.ts';
import { startTcpPlane, type TcpPlaneInfo } from './planes/tcp-plane.ts';
import { loadDaemonConfig } from './config/load-daemon-config.ts';
import { applyPlaneOverrides, type PlaneOverrides } from './config/plane-overrides.ts';
import { TokenService } from './auth/token-service.ts';
import { startAudit } from './audit/start-audit.ts';
import { startWebhooks } from './webhooks/start-webhooks.ts';
import { OWL_VERSION } from './version.ts';

export interface RunDaemonOptions {
  home: string;
  /** Echo the daemon log to stderr (foreground `owl daemon run`). */
  foreground?: boolean;
  /** `--tcp`/`--tls` flags; they win over `planes.tcp` in config.json for this run. */
  planes?: PlaneOverrides;
  /** Metrics tick; default $OWL_METRICS_INTERVAL_MS (read once, here), else 5000. */
  metricsIntervalMs?: number;
}

export interface RunningDaemon {
  readonly paths: HomePaths;
  /** Resolves when the daemon has shut down completely. */
  readonly closed: Promise<void>;
  shutdown(withApps?: boolean): Promise<void>;
}

async function loadState(paths: HomePaths, log: DaemonLog): Promise<{ state: DaemonState; writer: StateWriter<DaemonState> }> {
  const options = { file: paths.state, prevFile: paths.statePrev, parse: parseDaemonState, empty: emptyState };
  const loaded = await loadStateFile(options);
  if (loaded.warning) log.warn(loaded.warning);
  log.info(`state loaded (${loaded.recovery}): ${Object.keys(loaded.value.apps).length} apps`);
  return { state: loaded.value, writer: new StateWriter(options, loaded.recovery === 'clean') };
}

/**
 * Runs owld for one OWL_HOME: takes the pid lock, restores state (adopting live apps), serves
 * the management plane, and shuts down cleanly on SIGTERM/SIGINT or `daemon.shutdown`.
 */
export async function runDaemon(options: RunDaemonOptions): Promise<RunningDaemon> {
  const paths = homePaths(options.home);
  await mkdir(paths.logs, { recursive: true });
  // A bad config.json stops the start before anything is taken over.
  const config = await loadDaemonConfig(paths.config);
  const tcpConfig = applyPlaneOverrides(config.tcp, options.planes ?? {});
  const lock: PidLock = await acquirePidLock(paths.pidFile);
  const log = openDaemonLog(paths.daemonLog, options.foreground ?? false);
  log.info(`owld ${OWL_VERSION} starting, pid ${process.pid}, home ${paths.home}`);
  const startedAt = new Date();
  const events = new EventBus();
  const { state, writer } = await loadState(paths, log);
  // Before boot, so adoptions and the first transitions are recorded and delivered too.
  const audit = await startAudit(paths.audit, events, log);
  const webhooks = startWebhooks(config.webhooks, events, log);
  let lastState: DaemonState = state;
  const logs = new LogService({ logsDirectory: paths.logs, info: (message) => log.info(message), warn: (message) => log.warn(message) });
  const persist = (next: DaemonState): void => {
    lastState = next;
    logs.syncApps(next.apps);
    writer.save(next).catch((error: unknown) => log.error(`cannot write ${paths.state}: ${String(error)}`));
  };
  const metricsInterval = resolveMetricsInterval(options.metricsIntervalMs ?? process.env[METRICS_INTERVAL_ENV]);
  if (metricsInterval.warning) log.warn(metricsInterval.warning);
  const metrics: MetricsService = new MetricsService({ intervalMs: metricsInterval.intervalMs, instances: () => supervisor.runners(), log });
  // `owl ls` reads the latest tick: no pidusage call per list.
  const supervisor = new Supervisor({ logsDirectory: paths.logs, defaultCwd: homedir(), events, log, persist, usage: async (pids) => metrics.usageOf(pids) });
  const health = new HealthService({ instances: () => supervisor.runners(), events, log, defaultCwd: homedir(), treeOf: (pid) => metrics.treeOf(pid) });
  events.listen((event) => {
    if (['state', 'exit', 'budget_spent', 'health', 'health_kill', 'max_memory'].includes(event.type)) {
      log.info(`${event.type} ${event.app ?? ''}#${event.instance ?? 0} ${JSON.stringify(event.data)}`);
    }
  });

  let listeners: Listener[] = [];
  let planeInfos: Array<{ kind: 'local'; address: string } | TcpPlaneInfo> = [];
  const tokens = new TokenService(paths.keys);
  let shuttingDown: Promise<void> | undefined;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const shutdown = (withApps: boolean = false): Promise<void> => {
    shuttingDown ??= (async () => {
      log.info(`shutting down${withApps ? ' with apps' : ' (apps keep running)'}`);
      await Promise.all(listeners.map((listener) => listener.close()));
      health.stop();
      await metrics.stop();
      await supervisor.shutdown(withApps);
      await logs.stop();
      webhooks.close();
      await audit.close();
      await writer.save(lastState);
      await lock.release();
      log.info('stopped');
      await log.close();
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolveClosed();
    })();
    return shuttingDown;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info(`received ${signal}`);
    void shutdown(false);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const handlers = createHandlers(
    {
      pid: process.pid,
      version: OWL_VERSION,
      home: paths.home,
      startedAt,
      planes: () => planeInfos,
      appCounts: () => supervisor.counts(),
      // Answer first, then go: the caller sees ok before the socket closes.
      requestShutdown: (withApps) => setImmediate(() => void shutdown(withApps)),
    },
    { supervisor, events, tokens, audit, metrics, logs },
  );
  const rpc = new RpcServer(handlers);
  try {
    // Writers a crashed daemon left paused mid-rotation continue before anything else runs.
    logs.recover();
    await supervisor.boot(state);
    logs.start();
    health.start();
    // Not awaited: loading systeminformation must not delay the first answer.
    void metrics.start();
    // The TCP plane first: when it cannot start, nothing has answered yet and `owl daemon start` reports why.
    const tcp = tcpConfig
      ? await startTcpPlane({ config: tcpConfig, keysDirectory: paths.keys, tokens, handlers, events, log, metricsSource: { version: OWL_VERSION, startedAt, listApps: () => supervisor.list() } })
      : undefined;
    if (tcp) listeners.push(tcp.listener);
    listeners.push(await startManagementPlane(paths.socket, rpc));
    planeInfos = [{ kind: 'local', address: paths.socket }, ...(tcp ? [tcp.info] : [])];
  } catch (error) {
    log.error(`start-up failed: ${String(error)}`);
    await Promise.all(listeners.map((listener) => listener.close()));
    health.stop();
    await metrics.stop();
    await supervisor.shutdown(false);
    await logs.stop();
    webhooks.close();
    await audit.close();
    await lock.release();
    await log.close();
    throw error;
  }
  log.info(`listening on ${paths.socket}`);
  return { paths, closed, shutdown };
}
