import path from 'node:path';
import { appNameFrom, interpreterFor } from '../start/script-launch.ts';
import { showValue, splitArgs } from './pm2-values.ts';
import { NOT_CARRIED, OPTION_RULES, set, type Spec } from './option-rules.ts';
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
    const rule = OPTION_RULES[option];
    row(option, rule ? rule(value, spec) : `not carried: ${NOT_CARRIED[option] ?? 'no owl equivalent'}`);
  }
  const runtime = app.__runtime as string[] | undefined;
  if (runtime && runtime.length > 0) rows.push({ app: name, option: '(runtime fields)', value: showValue(runtime.join(', ')), owl: 'ignored: PM2 process state, not configuration' });
  return { spec, rows };
}
