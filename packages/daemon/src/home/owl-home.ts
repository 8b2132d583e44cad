import { homedir } from 'node:os';
import path from 'node:path';
import { managementAddress } from '@owl/rpc';

export interface HomePaths {
  readonly home: string;
  readonly state: string;
  readonly statePrev: string;
  /** Launches recorded since the last state.json write (see LaunchJournal). */
  readonly launches: string;
  readonly pidFile: string;
  readonly socket: string;
  readonly config: string;
  readonly keys: string;
  readonly logs: string;
  readonly daemonLog: string;
  /** stdout/stderr of a detached daemon: crash traces that never reached the log. */
  readonly daemonOut: string;
  readonly audit: string;
  /** Metrics history rings, saved so a daemon restart keeps them. */
  readonly metricsHistory: string;
}

/** OWL_HOME: an explicit --home wins, then $OWL_HOME, then ~/.owl. */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env.OWL_HOME ?? path.join(homedir(), '.owl');
  return path.resolve(chosen);
}

export function homePaths(home: string): HomePaths {
  const logs = path.join(home, 'logs');
  return Object.freeze({
    home,
    state: path.join(home, 'state.json'),
    statePrev: path.join(home, 'state.json.prev'),
    launches: path.join(home, 'launches.jsonl'),
    pidFile: path.join(home, 'daemon.pid'),
    socket: managementAddress(home),
    config: path.join(home, 'config.json'),
    keys: path.join(home, 'keys'),
    logs,
    daemonLog: path.join(logs, 'daemon.log'),
    daemonOut: path.join(logs, 'daemon.out'),
    audit: path.join(home, 'audit.log'),
    metricsHistory: path.join(home, 'metrics-history.bin'),
  });
}
