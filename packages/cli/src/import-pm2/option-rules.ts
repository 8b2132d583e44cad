import { cpus } from 'node:os';
import { durationMs, showValue, sizeBytes } from './pm2-values.ts';

export type Spec = Record<string, unknown>;

// Options whose meaning owl has no counterpart for, with what to do instead.
export const NOT_CARRIED: Record<string, string> = {
  cron_restart: 'owl has no cron restarts (a scheduled launch window is the nearest)',
  pmx: 'owl reads metrics from outside the process',
  automation: 'owl reads metrics from outside the process',
  kill_retry_time: 'owl kills the tree once stop.timeout has passed',
  out_file: 'owl writes logs/<app>/out.log in OWL_HOME',
  error_file: 'owl writes logs/<app>/err.log in OWL_HOME',
  log_file: 'owl keeps stdout and stderr in logs/<app>/',
  log: 'owl keeps stdout and stderr in logs/<app>/',
  pid_file: 'owl records pids in state.json',
  merge_logs: 'owl keeps one log per instance',
  combine_logs: 'owl keeps one log per instance',
  ignore_watch: 'owl does not watch files',
  watch_delay: 'owl does not watch files',
  watch_options: 'owl does not watch files',
  wait_ready: 'use initGrace or a health check',
  listen_timeout: 'use initGrace or a health check',
  shutdown_with_message: 'owl stops with a signal (stop.signal)',
  increment_var: 'each instance gets OWL_INSTANCE and NODE_APP_INSTANCE',
  instance_var: 'each instance gets OWL_INSTANCE and NODE_APP_INSTANCE',
  source_map_support: 'pass --enable-source-maps in node_args instead',
  namespace: 'owl has no namespaces',
  vizion: 'owl does not track versions of the app',
  force: 'owl start always creates or updates',
};

export function set(spec: Spec, keys: string[], value: unknown): void {
  let node = spec;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Spec;
  node[keys.at(-1) as string] = value;
}

function instancesOf(value: unknown): number | null {
  if (value === 'max' || value === 0 || value === '0') return cpus().length;
  const count = Number(value);
  if (!Number.isInteger(count)) return null;
  // PM2: -1 is "all CPUs but one".
  return count < 0 ? Math.max(1, cpus().length + count) : count;
}

/** What an option became: sets its spec field(s) and says so, or says why it could not. */
type Rule = (value: unknown, spec: Spec) => string;

const invalid = (value: unknown): string => `not carried: cannot read ${showValue(value)}`;

function durationRule(keys: string[], label: string): Rule {
  return (value, spec) => {
    const parsed = durationMs(value);
    if (parsed === null) return invalid(value);
    set(spec, keys, parsed);
    return `${label} ${parsed} ms`;
  };
}

function timestampsRule(note: string): Rule {
  return (value, spec) => {
    if (value === false) return 'logs.timestamps off (the default)';
    set(spec, ['logs', 'timestamps'], true);
    return `logs.timestamps on${note}`;
  };
}

/** The options with a direct counterpart (or a value that matches owl's own behaviour). */
export const OPTION_RULES: Record<string, Rule> = {
  instances: (value, spec) => {
    const count = instancesOf(value);
    if (count === null || count < 1) return invalid(value);
    set(spec, ['instances'], count);
    return `instances ${count}${value === 'max' || Number(value) <= 0 ? " (this machine's CPUs)" : ''}`;
  },
  autorestart: (value, spec) => {
    const policy = value === false ? 'never' : 'always';
    set(spec, ['restart', 'policy'], policy);
    return `restart.policy ${policy}`;
  },
  autostart: (value, spec) => {
    if (value !== false) return 'launch.mode always (the default)';
    set(spec, ['launch', 'mode'], 'off');
    return 'launch.mode off';
  },
  stop_exit_codes: (value, spec) => {
    const codes = Array.isArray(value) ? value.map(Number) : [Number(value)];
    if (codes.length !== 1 || codes[0] !== 0) return "not carried: owl's on-failure policy spares exit code 0 only";
    set(spec, ['restart', 'policy'], 'on-failure');
    return 'restart.policy on-failure';
  },
  max_restarts: (value, spec) => {
    if (!Number.isInteger(Number(value)) || Number(value) < 0) return invalid(value);
    set(spec, ['restart', 'maxRestarts'], Number(value));
    return `restart.maxRestarts ${Number(value)}`;
  },
  min_uptime: durationRule(['restart', 'minUptime'], 'restart.minUptime'),
  restart_delay: durationRule(['restart', 'delay'], 'restart.delay'),
  kill_timeout: durationRule(['stop', 'timeout'], 'stop.timeout'),
  exp_backoff_restart_delay: (value, spec) => {
    const initial = durationMs(value);
    if (initial === null) return invalid(value);
    // PM2 grows the delay by 1.5 each time, up to 15 s.
    set(spec, ['restart', 'backoff'], { initial, factor: 1.5, max: 15_000 });
    return `restart.backoff {initial ${initial} ms, factor 1.5, max 15000 ms}`;
  },
  max_memory_restart: (value, spec) => {
    const bytes = sizeBytes(value);
    if (bytes === null) return invalid(value);
    set(spec, ['maxMemory'], bytes);
    return `maxMemory ${bytes} bytes`;
  },
  time: timestampsRule(''),
  log_date_format: timestampsRule(' (owl writes ISO time, not this format)'),
  exec_mode: (value) =>
    value === 'fork' || value === 'fork_mode' ? 'fork, as owl runs every instance' : 'not carried: owl runs separate processes (no shared port); each gets NODE_APP_INSTANCE to pick its own',
  instance_var: (value) => (value === 'NODE_APP_INSTANCE' ? 'NODE_APP_INSTANCE, as owl sets it (with OWL_INSTANCE)' : `not carried: ${NOT_CARRIED.instance_var}`),
  treekill: (value) => (value === false ? 'not carried: owl always stops the whole tree' : 'owl always stops the whole tree'),
  watch: (value) => (value === false ? 'off, as in owl' : 'not carried: owl does not watch files (restart with owl restart)'),
  windowsHide: (value, spec) => {
    set(spec, ['windows', 'hide'], value !== false);
    return `windows.hide ${value !== false}`;
  },
};
