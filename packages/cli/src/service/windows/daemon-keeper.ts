import { OwlError } from '@owl/rpc';
import { pingDaemon } from '../../daemon-control/ping-daemon.ts';
import { startDaemon } from '../../daemon-control/start-daemon.ts';
import { stopDaemon } from '../../daemon-control/stop-daemon.ts';

const WATCH_MS = 500;
const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A daemon that ran this long before dying starts a fresh backoff. */
const STABLE_MS = 60_000;

export interface DaemonKeeper {
  /** Stops the daemon cleanly (daemon.shutdown; apps keep running) and ends the watch. */
  stop(): Promise<void>;
}

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Keeps one daemon answering for `home`: adopts one that already runs (left by a previous
 * host), else starts one detached; when it dies, starts another after a backoff (1 s doubling
 * to 30 s, reset after a minute of uptime). The next daemon re-adopts the apps, which never
 * depended on the old one.
 */
export function keepDaemonRunning(home: string, log: (line: string) => void, onFirstRunning: () => void): DaemonKeeper {
  let stopping = false;
  let wake: () => void = () => {};
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

  const watch = async () => {
    let failures = 0;
    let announced = false;
    while (!stopping) {
      const since = Date.now();
      let pid: number | null = null;
      try {
        const running = await pingDaemon(home);
        pid = running ? running.pid : (await startDaemon(home)).pid;
        log(running ? `daemon already running (pid ${pid}): watching it` : `daemon started (pid ${pid})`);
      } catch (error) {
        log(`daemon did not start: ${(error as Error).message}`);
      }
      if (pid !== null && !announced) {
        announced = true;
        onFirstRunning();
      }
      while (pid !== null && !stopping && !isGone(pid)) await pause(WATCH_MS);
      if (stopping) break;
      failures = pid !== null && Date.now() - since >= STABLE_MS ? 1 : failures + 1;
      const delay = Math.min(RESTART_MIN_MS * 2 ** (failures - 1), RESTART_MAX_MS);
      log(`daemon ${pid === null ? 'is not running' : `(pid ${pid}) exited`}: starting a new one in ${delay} ms`);
      await pause(delay);
    }
  };
  const watching = watch();

  return {
    async stop() {
      stopping = true;
      wake();
      await watching;
      await stopDaemon(home, false).catch((error: unknown) => {
        if (!(error instanceof OwlError && error.code === 'OWL_DAEMON_NOT_RUNNING')) throw error;
      });
    },
  };
}
