import type { AppDetail, AppRow } from '@owl/rpc';
import type { AppSpec } from '@owl/rpc/contract';
import { formatBytes, renderTable } from './format.ts';
import { renderAppRows } from '../commands/apps.ts';

/** Milliseconds as the config writes them: 100ms, 10s, 5m, 2h. */
function duration(milliseconds: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (milliseconds >= size && milliseconds % size === 0) return `${milliseconds / size}${unit}`;
  }
  return `${milliseconds}ms`;
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word);
}

function launchLine(spec: AppSpec): string {
  const { launch } = spec;
  if (launch.mode !== 'scheduled') return launch.mode;
  const windows = launch.schedules.map((schedule) => `${schedule.days.join(',')} ${schedule.ranges.map((range) => `${range.start}-${range.stop}`).join(' ')}`);
  return `scheduled (${launch.timezone ?? 'local time'}): ${windows.join('; ')}`;
}

function healthLine(spec: AppSpec): string {
  const { health } = spec;
  if (!health) return 'none';
  const checks = [
    health.http && `GET ${health.http}`,
    health.tcp && `tcp port ${health.tcp}`,
    health.exec && `exec ${health.exec}`,
    health.windowResponsive && 'windows responsive',
  ].filter(Boolean);
  return `${checks.join(' + ')}; every ${duration(health.interval)}, timeout ${duration(health.timeout)}, stalled after ${health.stallAfter} failures, killed after ${duration(health.killAfter)} stalled`;
}

function specSection(spec: AppSpec): string[][] {
  const { restart } = spec;
  const env = Object.entries(spec.env);
  return [
    ['name', spec.name],
    ['command', [spec.command, ...spec.args].map(quote).join(' ')],
    ['cwd', spec.cwd ?? '(the daemon\'s)'],
    ['instances', String(spec.instances)],
    ['launch', launchLine(spec)],
    ['restart', restart.policy === 'never' ? 'never' : `${restart.policy}; ${restart.maxRestarts} restarts in a row within ${duration(restart.minUptime)} of launch, then one try per ${duration(restart.cooldown)}`],
    ['backoff', `${duration(restart.backoff.initial)} x${restart.backoff.factor} up to ${duration(restart.backoff.max)}${restart.delay > 0 ? `, plus ${duration(restart.delay)}` : ''}`],
    ['init grace', spec.initGrace === 0 ? 'none' : duration(spec.initGrace)],
    ['health', healthLine(spec)],
    ['stop', `${spec.stop.signal}, tree killed after ${duration(spec.stop.timeout)}`],
    ['max memory', spec.maxMemory === undefined ? 'none' : formatBytes(spec.maxMemory)],
    ['logs', `rotated at ${formatBytes(spec.logs.maxSize)}, ${spec.logs.keep} kept, timestamps ${spec.logs.timestamps ? 'on' : 'off'}`],
    ['env', env.length === 0 ? 'none' : env.map(([key, value]) => `${key}=${quote(value)}`).join(' ')],
  ];
}

function lastExit(row: AppRow): string {
  if (!row.lastExit) return 'none yet';
  const { code, signal, at } = row.lastExit;
  return `${signal ? `signal ${signal}` : `code ${code}`} at ${at}`;
}

function healthOf(row: AppRow): string {
  if (row.status === 'stalled') return `failing: ${row.reason ?? ''}`.trim();
  if (row.status === 'launching') return 'not checked yet (init grace)';
  if (row.status === 'running') return 'ok';
  return `not checked (${row.status})`;
}

/** `owl describe` for humans: the spec, then instances, last exits and health, each as a section. */
export function renderDescribe(detail: AppDetail): string {
  const spec = detail.spec as unknown as AppSpec;
  const label = (row: AppRow): string => `#${row.instance}`;
  const sections = [
    'Spec',
    renderTable(['SPEC', ''], specSection(spec)).split('\n').slice(1).map((line) => `  ${line}`).join('\n'),
    '',
    'Instances',
    renderAppRows(detail.instances),
    '',
    'Last exits',
    ...detail.instances.map((row) => `  ${label(row)}  ${lastExit(row)}`),
  ];
  if (spec.health) sections.push('', 'Health', ...detail.instances.map((row) => `  ${label(row)}  ${healthOf(row)}`));
  return sections.join('\n');
}
