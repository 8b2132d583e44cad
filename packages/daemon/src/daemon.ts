import { win32NativeUnavailableReason } from './process/win32-native.ts';
import { RpcServer, type Listener } from '@owl/rpc/server';
import type { HomePaths } from './home/owl-home.ts';
import { openDaemonLog, type DaemonLog } from './daemon-log/daemon-log.ts';
import { StateWriter } from './state/state-writer.ts';
import { removeStaleTempFiles } from './state/atomic-write.ts';
import { HomeHealth } from './home/home-health.ts';
import { type DaemonState } from './state/daemon-state.ts';
import { loadDaemonState } from './state/load-daemon-state.ts';
import { applyLaunchJournal, LaunchJournal, readLaunchJournal } from './state/launch-journal.ts';
import { createHandlers } from './handlers/create-handlers.ts';
import { startManagementPlane } from './planes/management-plane.ts';
import { TcpPlaneSlot } from './planes/tcp-plane-slot.ts';
import { createDaemonReload } from './reload/daemon-reload.ts';
import { configExposureWarning } from './config/config-exposure.ts';
import type { PlaneOverrides } from './config/plane-overrides.ts';
import { takeHome, type TakenHome } from './readiness/take-home.ts';
import { createServices, startServices, stopServices } from './daemon-services.ts';
import { OWL_VERSION } from './version.ts';
import type { PlaneInfo } from './readiness/ready-signal.ts';
import { ClusterSlot } from './cluster/cluster-slot.ts';

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
  /** The planes it serves now: the management plane, and the TCP plane when on. */
  planes(): PlaneInfo[];
  shutdown(withApps?: boolean): Promise<void>;
}

async function loadState(paths: HomePaths, log: DaemonLog, health: HomeHealth): Promise<{ state: DaemonState; writer: StateWriter<DaemonState>; launches: LaunchJournal }> {
  // A daemon killed mid-write leaves its temp file behind: never read, so removed.
  const stale = await removeStaleTempFiles(paths.state);
  if (stale.length > 0) log.info(`removed temp files of an interrupted state write: ${stale.join(', ')}`);
  const loaded = await loadDaemonState({ file: paths.state, prevFile: paths.statePrev }, log);
  if (loaded.warning) log.warn(loaded.warning);
  log.info(`state loaded (${loaded.recovery}): ${Object.keys(loaded.value.apps).length} apps`);
  const journaled = await readLaunchJournal(paths.launches);
  const replayed = applyLaunchJournal(loaded.value, journaled);
  if (replayed > 0) log.info(`${paths.launches}: ${replayed} launches recorded after the last state write`);
  const launches = await LaunchJournal.open(paths.launches);
  const writer = new StateWriter<DaemonState>({
    file: paths.state,
    prevFile: paths.statePrev,
    hasCurrent: loaded.recovery === 'clean',
    serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
    onHealth: (writes) => {
      if (writes.ok) {
        health.recovered(paths.state);
        log.info(`${paths.state} written again: the newest state is on disk`);
      } else {
        health.failed(paths.state, writes.error);
        log.error(`cannot write ${paths.state}: ${writes.error}; retrying`);
      }
    },
    // A launch being recorded is what a relaunch waits for: its write does not queue behind a state write.
    before: () => launches.idle(),
  });
  // Folded into state.json before anything launches again; left in place when that cannot be written.
  if (journaled.length > 0) await launches.compact(() => writer.save(loaded.value)).catch(() => undefined);
  return { state: loaded.value, writer, launches };
}

/**
 * Runs owld for one OWL_HOME: takes the pid lock, restores state (adopting live apps), serves
 * the management plane, reloads config.json on SIGHUP or `daemon.reload`, and shuts down
 * cleanly on SIGTERM/SIGINT or `daemon.shutdown`. `taken` is the home owld took already (see
 * takeHome), its management socket maybe listening and holding early calls until this serves them.
 */
export async function runDaemon(options: RunDaemonOptions, taken?: TakenHome): Promise<RunningDaemon> {
  const { paths, config, tcpConfig, lock, management } = taken ?? (await takeHome(options.home, options.planes ?? {}, false));
  const log = openDaemonLog(paths.daemonLog, options.foreground ?? false);
  log.info(`owld ${OWL_VERSION} starting, pid ${process.pid}, home ${paths.home}`);
  if (process.platform === 'win32') logWindowsBindings(log);
  const startedAt = new Date();
  const homeHealth = new HomeHealth();
  const { state, writer, launches } = await loadState(paths, log, homeHealth);
  const services = await createServices({ paths, config, log, state, writer, launches, homeHealth, metricsIntervalMs: options.metricsIntervalMs });
  const listeners: Listener[] = [];
  const { supervisor } = services;
  const cluster: ClusterSlot = new ClusterSlot({
    home: paths.home,
    keysDirectory: paths.keys,
    version: OWL_VERSION,
    startedAt,
    events: services.events,
    log,
    apps: { list: () => supervisor.list(), start: (name) => supervisor.start(name), stop: (name) => supervisor.stop(name), restart: (name) => supervisor.restart(name) },
    readLogs: async (app, lines) => services.logs.read({ name: app, stream: 'both' }, lines),
    tcpPlane: () => tcp.info ?? null,
  });
  // The TCP plane's code (HTTP, ws, jose, Prometheus) loads only when a plane is configured.
  const tcp = new TcpPlaneSlot(async (tcpPlaneConfig) =>
    (await import('./planes/tcp-plane.ts')).startTcpPlane({ config: tcpPlaneConfig, keysDirectory: paths.keys, tokens: services.tokens, verifyNodeToken: (token) => cluster.verifyNodeToken(token), handlers, events: services.events, log, metricsSource: { version: OWL_VERSION, startedAt, listApps: () => services.supervisor.list(), fleet: async () => (cluster.current ? cluster.current.fleetSeries() : null) } }),
  );
  const reload = createDaemonReload({ configFile: paths.config, overrides: options.planes ?? {}, current: { webhooks: config.webhooks, tcp: tcpConfig, cluster: config.cluster }, services, tcp, cluster, log });
  const release = async (withApps: boolean): Promise<void> => {
    reload.stopListening();
    // Leadership is released first, so another node takes over at once.
    await cluster.close();
    await Promise.all([...listeners.map((listener) => listener.close()), tcp.close()]);
    await stopServices(services, withApps);
    // The final state holds every launch: the journal is emptied once it is on disk.
    await launches.compact(() => writer.save(services.lastState())).catch((error: unknown) => log.error(`shutting down with the newest state not on disk: ${String(error)}`));
    await launches.close().catch(() => undefined);
    writer.close();
    await lock.release();
  };
  const { closed, shutdown } = handleShutdown(log, release);
  const planes = (): PlaneInfo[] => [{ kind: 'local', address: paths.socket }, ...(tcp.info ? [tcp.info] : [])];
  const handlers = createHandlers(
    {
      pid: process.pid,
      version: OWL_VERSION,
      home: paths.home,
      startedAt,
      planes,
      appCounts: () => services.supervisor.counts(),
      homeWrites: () => homeHealth.failing(),
      warnings: async () => [await configExposureWarning(paths.config)].filter((warning): warning is string => warning !== null),
      // Answer first, then go: the caller sees ok before the socket closes.
      requestShutdown: (withApps) => setImmediate(() => void shutdown(withApps)),
      reloadConfig: () => reload.run('rpc'),
    },
    services,
    { slot: cluster, home: paths.home, configFile: paths.config, keysDirectory: paths.keys, reload: () => reload.run('rpc') },
  );
  try {
    await startServices(services, state);
    // A cluster that cannot start (key missing) is logged; supervision goes on without it.
    if (config.cluster) await cluster.replace(config.cluster).catch(() => undefined);
    // The TCP plane first: when it cannot start, nothing has answered yet and `owl daemon start` reports why.
    await tcp.replace(tcpConfig);
    listeners.push(await startManagementPlane(management ?? paths.socket, new RpcServer(handlers)));
  } catch (error) {
    log.error(`start-up failed: ${String(error)}`);
    if (listeners.length === 0) await management?.close();
    await shutdown(false).catch(() => undefined);
    throw error;
  }
  reload.listenForHangup();
  log.info(`listening on ${paths.socket}`);
  return { paths, closed, planes, shutdown };
}

/** One shutdown, however many ask for it (signal, RPC, failed start); SIGTERM/SIGINT trigger it. */
function handleShutdown(log: DaemonLog, release: (withApps: boolean) => Promise<void>): Pick<RunningDaemon, 'closed' | 'shutdown'> {
  let shuttingDown: Promise<void> | undefined;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info(`received ${signal}`);
    void shutdown(false);
  };
  const shutdown = (withApps: boolean = false): Promise<void> => {
    shuttingDown ??= (async () => {
      log.info(`shutting down${withApps ? ' with apps' : ' (apps keep running)'}`);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await release(withApps);
      log.info('stopped');
      await log.close();
      resolveClosed();
    })();
    return shuttingDown;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { closed, shutdown };
}

/** Without koffi owl still runs on Windows, with less: say so once, at start. */
function logWindowsBindings(log: DaemonLog): void {
  const reason = win32NativeUnavailableReason();
  if (reason === null) {
    log.info('windows: native bindings loaded (process table, suspend/resume, window checks)');
    return;
  }
  log.warn(`windows: native bindings unavailable (${reason}): process queries fall back to wmic/PowerShell, logs of running apps rotate only when they restart, windowResponsive asks PowerShell`);
}
