import type { AppMetrics, HostMetrics, MetricsResult } from '@owl/rpc/contract';
import { formatBytes, formatDuration, renderTable } from './format.ts';

function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${value}%`;
}

function appLabel(app: AppMetrics): string {
  return app.instance === 0 ? app.name : `${app.name}#${app.instance}`;
}

function hostLines(host: HostMetrics, sinceMs: number): string[] {
  const memory = host.memory ? `${formatBytes(host.memory.used)} / ${formatBytes(host.memory.total)}` : '-';
  const lines = [`HOST  cpu ${percent(host.cpu)} of ${host.cores} cores  memory ${memory}`];
  if (host.summary) {
    lines[0] += `  (last ${formatDuration(sinceMs)}: cpu avg ${host.summary.cpuAvg}% max ${host.summary.cpuMax}%, memory max ${formatBytes(host.summary.memoryMax)})`;
  }
  for (const disk of host.disks) {
    const share = disk.size > 0 ? ` (${((disk.used / disk.size) * 100).toFixed(1)}%)` : '';
    lines.push(`DISK  ${disk.mount}  ${formatBytes(disk.used)} / ${formatBytes(disk.size)}${share}`);
  }
  for (const link of host.network) {
    const rate = (value: number | null): string => (value === null ? '-' : `${formatBytes(Math.round(value))}/s`);
    lines.push(`NET   ${link.iface}  rx ${rate(link.rxPerSec)}  tx ${rate(link.txPerSec)}`);
  }
  for (const gpu of host.gpus) {
    const memoryUse = gpu.memoryTotal === null ? '' : `  ${formatBytes(gpu.memoryUsed)} / ${formatBytes(gpu.memoryTotal)}`;
    const temperature = gpu.temperature === null ? '' : `  ${gpu.temperature}°C`;
    lines.push(`GPU   ${gpu.vendor} ${gpu.model}  ${percent(gpu.utilization)}${memoryUse}${temperature}`);
  }
  return lines;
}

function appTable(apps: AppMetrics[], sinceMs: number): string {
  if (apps.length === 0) return 'no apps';
  const window = formatDuration(sinceMs);
  return renderTable(
    ['NAME', 'PID', 'PROCS', 'CPU', 'MEMORY', `CPU AVG ${window}`, 'CPU MAX', 'MEM AVG', 'MEM MAX'],
    apps.map((app) => [
      appLabel(app),
      app.pid === null ? '-' : String(app.pid),
      app.pid === null ? '-' : String(app.processes),
      percent(app.cpu),
      formatBytes(app.memory),
      percent(app.summary?.cpuAvg),
      percent(app.summary?.cpuMax),
      formatBytes(app.summary?.memoryAvg ?? null),
      formatBytes(app.summary?.memoryMax ?? null),
    ]),
  );
}

/** `owl metrics`: the host block (unless one app was asked for), then a row per app instance. */
export function renderMetrics(result: MetricsResult, oneApp: boolean): string {
  const table = appTable(result.apps, result.sinceMs);
  if (oneApp) return table;
  return [...hostLines(result.host, result.sinceMs), '', table].join('\n');
}
