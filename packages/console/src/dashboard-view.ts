import type { AppRow, HostMetrics } from '@owl/rpc/contract';
import { formatBytes, formatDuration } from './format.ts';

/** The apps table's header, in column order. */
export const APP_COLUMNS = ['NAME', 'STATUS', 'PID', 'CPU', 'MEMORY', 'RESTARTS', 'UPTIME'] as const;

/** Statuses in which `s` stops the app; in every other it starts it. */
const STOPPABLE = new Set<AppRow['status']>(['queued', 'launching', 'running', 'stalled']);

/** `name` for the first instance, `name#i` for the others (what the log pane and actions address). */
export function instanceLabel(row: Pick<AppRow, 'name' | 'instance'>): string {
  return row.instance === 0 ? row.name : `${row.name}#${row.instance}`;
}

/** One table row per app instance, as text cells. */
export function formatAppRows(rows: readonly AppRow[]): string[][] {
  return rows.map((row) => [
    instanceLabel(row),
    row.status,
    row.pid === null ? '-' : String(row.pid),
    row.cpu === null ? '-' : `${row.cpu.toFixed(1)}%`,
    formatBytes(row.memory),
    String(row.restarts),
    row.pid === null ? '-' : formatDuration(row.uptimeMs),
  ]);
}

/** The header line: where, host CPU and memory, how many apps run. */
export function formatHeader(target: string, host: HostMetrics | null, rows: readonly AppRow[]): string {
  const running = rows.filter((row) => row.status === 'running').length;
  const cpu = host?.cpu == null ? 'cpu -' : `cpu ${host.cpu.toFixed(0)}% of ${host.cores}`;
  const memory = host?.memory ? `mem ${formatBytes(host.memory.used)} / ${formatBytes(host.memory.total)}` : 'mem -';
  return `owl dash  ${target}   host ${cpu}, ${memory}   apps ${running}/${rows.length} running`;
}

/** What `s` does to an app in this status. */
export function toggleAction(status: AppRow['status']): 'apps.stop' | 'apps.start' {
  return STOPPABLE.has(status) ? 'apps.stop' : 'apps.start';
}
