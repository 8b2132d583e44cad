import { cpus } from 'node:os';
import path from 'node:path';
import { appNameFrom, interpreterFor } from '../start/script-launch.ts';
import { durationMs, showValue, sizeBytes, splitArgs } from './pm2-values.ts';
import type { Pm2App } from './read-pm2-source.ts';

/** One line of the mapping table: a PM2 option, its value, and what it became in owl. */
export interface MappingRow {
  app: string;
  option: string;
  value: string;
  owl: string;
}

export interface MapContext {
  /** The directory of the PM2 file: relative cwd and script paths start there. */
  sourceDirectory: string;
  /** The directory of the owl.config.json being written: cwd is written relative to it. */
  outputDirectory: string;
  kind: 'ecosystem' | 'dump';
  /** `--env NAME`: env_NAME is merged over env. */
  envName?: string;
}

// Options whose meaning owl has no counterpart for, with what to do instead.
const NOT_CARRIED: Record<string, string> = {
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

type Spec = Record<string, unknown>;

function set(spec: Spec, keys: string[], value: unknown): void {
  let node = spec;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Spec;
  node[keys.at(-1) as string] = value;
}

function stringEnv(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, typeof entry === 'string' ? entry : JSON.stringify(entry)]));
}

/** script + interpreter + its args + args, and the directory they run in. */
function mapCommand(app: Pm2App, context: MapContext, spec: Spec, row: (option: string, owl: string) => void): void {
  const cwd = path.resolve(context.sourceDirectory, typeof app.cwd === 'string' ? app.cwd : '.');
  const script = String(app.script ?? '');
  const scriptFile = path.resolve(cwd, script);
  const interpreter = typeof app.interpreter === 'string' ? app.interpreter : (interpreterFor(script)?.[0] === process.execPath ? 'node' : interpreterFor(script)?.join(' '));
  const interpreterArgs = [...splitArgs(app.interpreter_args), ...splitArgs(app.node_args)];
  const args = splitArgs(app.args);
  const scriptArg = path.relative(cwd, scriptFile).startsWith('..') ? scriptFile : path.relative(cwd, scriptFile);
  const runsDirectly = interpreter === undefined || interpreter === 'none' || interpreter === '';
  // A file given with a path runs as a file; a bare word (npm, python3) is a command on PATH.
  const direct = /[\\/]/.test(script) || script.startsWith('.') ? scriptFile : script;
  set(spec, ['command'], runsDirectly ? direct : interpreter);
  set(spec, ['args'], runsDirectly ? args : [...interpreterArgs, scriptArg, ...args]);
  set(spec, ['cwd'], path.relative(context.outputDirectory, cwd) || '.');
  row('script', runsDirectly ? `command ${showValue(direct)}` : `args: ${showValue(scriptArg)} after the interpreter`);
  if (app.interpreter !== undefined) row('interpreter', runsDirectly ? 'none: the script is the command' : `command ${showValue(interpreter)}`);
  if (app.interpreter_args !== undefined) row('interpreter_args', 'args, before the script');
  if (app.node_args !== undefined) row('node_args', 'args, before the script');
  if (app.args !== undefined) row('args', 'args, after the script');
  if (app.cwd !== undefined) row('cwd', `cwd ${showValue(spec.cwd)} (relative to the owl config)`);
}

function mapEnv(app: Pm2App, context: MapContext, spec: Spec, row: (option: string, owl: string) => void): void {
  const env = stringEnv(app.env);
  if (app.env !== undefined) row('env', `env (${Object.keys(env).length} variables)`);
  for (const key of Object.keys(app).filter((option) => option.startsWith('env_'))) {
    if (context.kind === 'dump') row(key, 'already in env: the dump records the env PM2 ran with');
    else if (key === `env_${context.envName}`) {
      Object.assign(env, stringEnv(app[key]));
      row(key, `merged over env (--env ${context.envName})`);
    } else row(key, `not used: pick it with --env ${key.slice(4)}`);
  }
  if (Object.keys(env).length > 0) set(spec, ['env'], env);
  const inherited = app.__inherited_env as string[] | undefined;
  if (inherited && inherited.length > 0) {
    row('env (inherited)', `dropped ${inherited.length} variables of PM2 and of the shell it ran in: ${showValue(inherited.join(', '))}`);
  }
}

function instancesOf(value: unknown): number | null {
  if (value === 'max' || value === 0 || value === '0') return cpus().length;
  const count = Number(value);
  if (!Number.isInteger(count)) return null;
  // PM2: -1 is "all CPUs but one".
  return count < 0 ? Math.max(1, cpus().length + count) : count;
}

/** The options with a direct counterpart: each sets one spec field, or says why not. */
function mapOption(option: string, value: unknown, spec: Spec): string {
  const invalid = `not carried: cannot read ${showValue(value)}`;
  const duration = (keys: string[], label: string): string => {
    const parsed = durationMs(value);
    if (parsed === null) return invalid;
    set(spec, keys, parsed);
    return `${label} ${parsed} ms`;
  };
  switch (option) {
    case 'instances': {
      const count = instancesOf(value);
      if (count === null || count < 1) return invalid;
      set(spec, ['instances'], count);
      return `instances ${count}${value === 'max' || Number(value) <= 0 ? " (this machine's CPUs)" : ''}`;
    }
    case 'autorestart':
      set(spec, ['restart', 'policy'], value === false ? 'never' : 'always');
      return `restart.policy ${value === false ? 'never' : 'always'}`;
    case 'autostart':
      if (value !== false) return 'launch.mode always (the default)';
      set(spec, ['launch', 'mode'], 'off');
      return 'launch.mode off';
    case 'stop_exit_codes': {
      const codes = Array.isArray(value) ? value.map(Number) : [Number(value)];
      if (codes.length !== 1 || codes[0] !== 0) return 'not carried: owl\'s on-failure policy spares exit code 0 only';
      set(spec, ['restart', 'policy'], 'on-failure');
      return 'restart.policy on-failure';
    }
    case 'max_restarts':
      if (!Number.isInteger(Number(value)) || Number(value) < 0) return invalid;
      set(spec, ['restart', 'maxRestarts'], Number(value));
      return `restart.maxRestarts ${Number(value)}`;
    case 'min_uptime':
      return duration(['restart', 'minUptime'], 'restart.minUptime');
    case 'restart_delay':
      return duration(['restart', 'delay'], 'restart.delay');
    case 'kill_timeout':
      return duration(['stop', 'timeout'], 'stop.timeout');
    case 'exp_backoff_restart_delay': {
      const initial = durationMs(value);
      if (initial === null) return invalid;
      // PM2 grows the delay by 1.5 each time, up to 15 s.
      set(spec, ['restart', 'backoff'], { initial, factor: 1.5, max: 15_000 });
      return `restart.backoff {initial ${initial} ms, factor 1.5, max 15000 ms}`;
    }
    case 'max_memory_restart': {
      const bytes = sizeBytes(value);
      if (bytes === null) return invalid;
      set(spec, ['maxMemory'], bytes);
      return `maxMemory ${bytes} bytes`;
    }
    case 'time':
    case 'log_date_format':
      if (value === false) return 'logs.timestamps off (the default)';
      set(spec, ['logs', 'timestamps'], true);
      return option === 'time' ? 'logs.timestamps on' : 'logs.timestamps on (owl writes ISO time, not this format)';
    case 'exec_mode':
      if (value === 'fork' || value === 'fork_mode') return 'fork, as owl runs every instance';
      return 'not carried: owl runs separate processes (no shared port); each gets NODE_APP_INSTANCE to pick its own';
    case 'instance_var':
      return value === 'NODE_APP_INSTANCE' ? 'NODE_APP_INSTANCE, as owl sets it (with OWL_INSTANCE)' : `not carried: ${NOT_CARRIED.instance_var}`;
    case 'treekill':
      return value === false ? 'not carried: owl always stops the whole tree' : 'owl always stops the whole tree';
    case 'watch':
      return value === false ? 'off, as in owl' : 'not carried: owl does not watch files (restart with owl restart)';
    case 'windowsHide':
      set(spec, ['windows', 'hide'], value !== false);
      return `windows.hide ${value !== false}`;
    default:
      return `not carried: ${NOT_CARRIED[option] ?? 'no owl equivalent'}`;
  }
}

const COMMAND_OPTIONS = new Set(['name', 'script', 'interpreter', 'interpreter_args', 'node_args', 'args', 'cwd', 'env']);

/** One PM2 app as an owl app spec, with a row for every option it had. */
export function mapPm2App(app: Pm2App, context: MapContext): { spec: Spec; rows: MappingRow[] } {
  const declared = typeof app.name === 'string' && app.name !== '' ? app.name : appNameFrom(String(app.script ?? 'app'));
  const name = declared.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  const spec: Spec = { name };
  const rows: MappingRow[] = [];
  const row = (option: string, owl: string): void => void rows.push({ app: name, option, value: option in app ? showValue(app[option]) : '', owl });
  row('name', name === declared ? `name ${name}` : `name ${name} (characters owl does not allow replaced)`);
  mapCommand(app, context, spec, row);
  mapEnv(app, context, spec, row);
  for (const [option, value] of Object.entries(app)) {
    if (COMMAND_OPTIONS.has(option) || option.startsWith('env_') || option.startsWith('__')) continue;
    row(option, mapOption(option, value, spec));
  }
  const runtime = app.__runtime as string[] | undefined;
  if (runtime && runtime.length > 0) rows.push({ app: name, option: '(runtime fields)', value: showValue(runtime.join(', ')), owl: 'ignored: PM2 process state, not configuration' });
  return { spec, rows };
}
