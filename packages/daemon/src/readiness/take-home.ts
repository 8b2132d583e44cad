import type { PlaneOverrides } from '@owl/rpc';
import { listenHeld, type HeldListener } from '@owl/rpc/held-listener';
import { homePaths, type HomePaths } from '../home/owl-home.ts';
import { ensurePrivateDirectory } from '../home/private-files.ts';
import { loadDaemonConfig } from '../config/load-daemon-config.ts';
import type { DaemonConfig } from '../config/daemon-config.ts';
import type { TcpPlaneConfig } from '../config/tcp-plane-config.ts';
import { acquirePidLock, type PidLock } from '../lock/pid-lock.ts';

/** A home this daemon now owns: its config read and checked, its pid lock held. */
export interface TakenHome {
  readonly paths: HomePaths;
  readonly config: DaemonConfig;
  /** The TCP plane this run serves: config.json's, with the command-line flags on top. */
  readonly tcpConfig: TcpPlaneConfig | null;
  readonly lock: PidLock;
  /** The management socket, listening already and holding calls until runDaemon serves them; null when not listened early. */
  readonly management: HeldListener | null;
}

/**
 * The part of owld's start that can refuse it (a bad config.json, a rival daemon holding the
 * lock), with a module graph free of zod, ws and the services, so it runs right after Node
 * starts. With `listenEarly` and no TCP plane to serve (whose set-up can still fail), the
 * management socket listens here too: runDaemon loads the rest and restores the apps while
 * calls that connect early wait (owld says ready only once they are served).
 */
export async function takeHome(home: string, overrides: PlaneOverrides, listenEarly: boolean): Promise<TakenHome> {
  const paths = homePaths(home);
  // Owner only: state, logs, audit and config can all hold secrets.
  ensurePrivateDirectory(paths.home);
  ensurePrivateDirectory(paths.logs);
  // A bad config.json stops the start before anything is taken over.
  const config = await loadDaemonConfig(paths.config);
  const tcpWanted = config.tcp !== null || Object.keys(overrides).length > 0;
  const tcpConfig = tcpWanted ? (await import('../config/plane-overrides.ts')).applyPlaneOverrides(config.tcp, overrides) : null;
  const lock = await acquirePidLock(paths.pidFile);
  if (!listenEarly || tcpConfig !== null) return { paths, config, tcpConfig, lock, management: null };
  try {
    return { paths, config, tcpConfig, lock, management: await listenHeld({ path: paths.socket }) };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
