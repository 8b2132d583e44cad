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
import { readProcessUsage } from './metrics/process-usage.ts';
import { createHandlers } from './handlers/create-handlers.ts';
import { startManagementPlane } from './planes/management-plane.ts';
import { OWL_VERSION } from './version.ts';

export interface RunDaemonOptions {
  home: string;
  /** Echo the daemon log to stderr (foreground `owl daemon run`). */
  foreground?: boolean;
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
  const lock: PidLock = await acquirePidLock(paths.pidFile);
  const log = openDaemonLog(paths.daemonLog, options.foreground ?? false);
  log.info(`owld ${OWL_VERSION} starting, pid ${process.pid}, home ${paths.home}`);
  const startedAt = new Date();
  const events = new EventBus();
  const { state, writer } = await loadState(paths, log);
  let lastState: DaemonState = state;
  const persist = (next: DaemonState): void => {
    lastState = next;
    writer.save(next).catch((error: unknown) => log.error(`cannot write ${paths.state}: ${String(error)}`));
  };
  const supervisor = new Supervisor({ logsDirectory: paths.logs, defaultCwd: homedir(), events, log, persist, usage: readProcessUsage });
  events.listen((event) => {
    if (event.type === 'state' || event.type === 'exit' || event.type === 'budget_spent') {
      log.info(`${event.type} ${event.app ?? ''}#${event.instance ?? 0} ${JSON.stringify(event.data)}`);
    }
  });

  let listeners: Listener[] = [];
  let shuttingDown: Promise<void> | undefined;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const shutdown = (withApps: boolean = false): Promise<void> => {
    shuttingDown ??= (async () => {
      log.info(`shutting down${withApps ? ' with apps' : ' (apps keep running)'}`);
      await Promise.all(listeners.map((listener) => listener.close()));
      await supervisor.shutdown(withApps);
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
      planes: () => listeners.map((listener) => ({ kind: 'local' as const, address: listener.address })),
      appCounts: () => supervisor.counts(),
      // Answer first, then go: the caller sees ok before the socket closes.
      requestShutdown: (withApps) => setImmediate(() => void shutdown(withApps)),
    },
    { supervisor, events },
  );
  const rpc = new RpcServer(handlers);
  try {
    await supervisor.boot(state);
    listeners = [await startManagementPlane(paths.socket, rpc)];
  } catch (error) {
    log.error(`start-up failed: ${String(error)}`);
    await supervisor.shutdown(false);
    await lock.release();
    await log.close();
    throw error;
  }
  log.info(`listening on ${paths.socket}`);
  return { paths, closed, shutdown };
}
