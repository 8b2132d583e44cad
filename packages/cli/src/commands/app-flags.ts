import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { OwlError } from '@owl/rpc';

/** Each flag of `owl start --name` and the spec field it sets (kebab-case mirrors the config keys). */
const FLAGS = [
  { flag: '--cwd <dir>', key: 'cwd', path: ['cwd'], help: 'working directory' },
  { flag: '-i, --instances <n>', key: 'instances', path: ['instances'], help: 'processes to run (default 1; "max": one per CPU, as in PM2)', number: true },
  { flag: '--launch-mode <mode>', key: 'launchMode', path: ['launch', 'mode'], help: 'always | scheduled | off' },
  { flag: '--timezone <zone>', key: 'timezone', path: ['launch', 'timezone'], help: 'IANA time zone of the schedules' },
  { flag: '--restart-policy <policy>', key: 'restartPolicy', path: ['restart', 'policy'], help: 'always | on-failure | never' },
  { flag: '--max-restarts <n>', key: 'maxRestarts', path: ['restart', 'maxRestarts'], help: 'consecutive restarts before giving up (default 10)', number: true },
  { flag: '--min-uptime <duration>', key: 'minUptime', path: ['restart', 'minUptime'], help: 'a run this long resets the failure count (default 10s)' },
  { flag: '--backoff-initial <duration>', key: 'backoffInitial', path: ['restart', 'backoff', 'initial'], help: 'first restart delay (default 100ms)' },
  { flag: '--backoff-factor <n>', key: 'backoffFactor', path: ['restart', 'backoff', 'factor'], help: 'delay multiplier (default 2)', number: true },
  { flag: '--backoff-max <duration>', key: 'backoffMax', path: ['restart', 'backoff', 'max'], help: 'longest restart delay (default 30s)' },
  { flag: '--restart-delay <duration>', key: 'restartDelay', path: ['restart', 'delay'], help: 'extra wait before each relaunch' },
  { flag: '--cooldown <duration>', key: 'cooldown', path: ['restart', 'cooldown'], help: 'retry period once the budget is spent (default 10m)' },
  { flag: '--init-grace <duration>', key: 'initGrace', path: ['initGrace'], help: 'time after launch before the app counts as running' },
  { flag: '--stop-signal <signal>', key: 'stopSignal', path: ['stop', 'signal'], help: 'signal sent first on stop (default SIGTERM)' },
  { flag: '--stop-timeout <duration>', key: 'stopTimeout', path: ['stop', 'timeout'], help: 'wait before killing the tree (default 5s)' },
  { flag: '--max-memory <size>', key: 'maxMemory', path: ['maxMemory'], help: 'restart when the tree RSS stays above it, e.g. 512MB' },
  { flag: '--health-http <url>', key: 'healthHttp', path: ['health', 'http'], help: 'health check: GET this URL, 2xx/3xx passes' },
  { flag: '--health-tcp <port>', key: 'healthTcp', path: ['health', 'tcp'], help: 'health check: connect to this port on 127.0.0.1', number: true },
  { flag: '--health-exec <command>', key: 'healthExec', path: ['health', 'exec'], help: 'health check: run this shell command, exit 0 passes' },
  { flag: '--health-interval <duration>', key: 'healthInterval', path: ['health', 'interval'], help: 'time between health checks (default 5s)' },
  { flag: '--health-timeout <duration>', key: 'healthTimeout', path: ['health', 'timeout'], help: 'how long one check may take (default 2s)' },
  { flag: '--stall-after <n>', key: 'stallAfter', path: ['health', 'stallAfter'], help: 'failed checks in a row that mark the app stalled (default 3)', number: true },
  { flag: '--kill-after <duration>', key: 'killAfter', path: ['health', 'killAfter'], help: 'stalled this long: kill the tree and relaunch (default 15s)' },
  { flag: '--log-max-size <size>', key: 'logMaxSize', path: ['logs', 'maxSize'], help: 'rotate log files at this size (default 10MB)' },
  { flag: '--log-keep <n>', key: 'logKeep', path: ['logs', 'keep'], help: 'rotated log files kept (default 5)', number: true },
  { flag: '--priority <class>', key: 'priority', path: ['windows', 'priority'], help: 'idle | below_normal | normal | above_normal | high | realtime' },
  { flag: '--session <where>', key: 'session', path: ['windows', 'session'], help: 'service | user: user = the desktop of the user logged on at the console (Windows)' },
  { flag: '--visibility <how>', key: 'visibility', path: ['windows', 'visibility'], help: 'normal | hidden | minimized | maximized: window of a --session user app (Windows)' },
] as const;

/** `--instances` of `-i, --instances <n>`: the name error messages use. */
function longFlag(flag: string): string {
  return flag.split(' ').find((word) => word.startsWith('--')) as string;
}

const FLAG_BY_PATH = new Map<string, string>(FLAGS.map((entry) => [entry.path.join('.'), longFlag(entry.flag)]));
FLAG_BY_PATH.set('name', '--name');
FLAG_BY_PATH.set('command', 'the command after --');
FLAG_BY_PATH.set('env', '--env');
FLAG_BY_PATH.set('health.windowResponsive', '--health-window-responsive');

export function addAppFlags(command: Command): Command {
  command.option('--name <name>', 'app name (default: the script\'s base name); with -- COMMAND: create (or update) the app from that command');
  command.option('--env <K=V...>', 'environment variable for the app (repeatable)');
  command.option('--no-hide', 'show a console window for the app (Windows)');
  command.option('--health-window-responsive', 'health check: the app\'s windows must not hang (Windows)');
  for (const entry of FLAGS) command.addOption(new Option(entry.flag, entry.help));
  return command;
}

/** The flag a spec field came from, for error messages. */
export function flagForPath(path: readonly PropertyKey[]): string {
  const key = path.map(String).join('.');
  return FLAG_BY_PATH.get(key) ?? FLAG_BY_PATH.get(path.slice(0, 1).map(String).join('.')) ?? key;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[path.at(-1) as string] = value;
}

function parseNumberFlag(flag: string, value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new OwlError('OWL_USAGE', `${flag}: expected a number, received "${value}"`);
  return parsed;
}

function parseEnv(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs) return undefined;
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new OwlError('OWL_USAGE', `--env: expected KEY=VALUE, received "${pair}"`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** Builds the app spec input from flags and the command after `--`. */
export function specFromFlags(options: Record<string, unknown>, commandLine: string[]): Record<string, unknown> {
  const [command, ...args] = commandLine;
  if (!command) throw new OwlError('OWL_USAGE', '--name needs the command to run after --, e.g. owl start --name web -- node server.js');
  // Like PM2 and docker run: relative paths mean the caller's directory, not the daemon's.
  const cwd = path.resolve(process.cwd(), typeof options.cwd === 'string' ? options.cwd : '.');
  const spec: Record<string, unknown> = { name: options.name, command, args, cwd };
  const env = parseEnv(options.env as string[] | undefined);
  if (env) spec.env = env;
  if (options.hide === false) setPath(spec, ['windows', 'hide'], false);
  if (options.healthWindowResponsive === true) setPath(spec, ['health', 'windowResponsive'], true);
  for (const entry of FLAGS) {
    const value = options[entry.key];
    if (entry.key === 'cwd') continue;
    if (value === undefined) continue;
    const flag = longFlag(entry.flag);
    // PM2's `-i max`: one instance per CPU of this machine.
    const text = entry.key === 'instances' && value === 'max' ? String(availableParallelism()) : String(value);
    setPath(spec, entry.path, 'number' in entry && entry.number ? parseNumberFlag(flag, text) : value);
  }
  return spec;
}
