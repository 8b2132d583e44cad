import type { ClusterNode, ClusterStatus, FleetApp } from '@owl/rpc/contract';
import { formatBytes, formatDuration } from './format.ts';
import { instanceLabel } from './dashboard-view.ts';

/** The nodes table's header; its first row is "all", which shows every node's apps below. */
export const NODE_COLUMNS = ['NODE', 'STATUS', 'APPS', 'CPU', 'MEMORY', 'DISK FREE', 'UPTIME', 'LABELS'] as const;
export const FLEET_APP_COLUMNS = ['NODE', 'APP', 'STATUS', 'CPU', 'MEMORY', 'RESTARTS'] as const;
export const ALL_NODES = 'all';

/** Running and total instances from a node's counts by status. */
function appCounts(node: ClusterNode): string {
  const total = Object.values(node.apps).reduce((sum, count) => sum + count, 0);
  return `${node.apps.running ?? 0}/${total}`;
}

/** Nodes sorted by alias, after an "all" row; the leader is marked in its status. */
export function sortNodes(nodes: readonly ClusterNode[]): ClusterNode[] {
  return [...nodes].sort((a, b) => a.alias.localeCompare(b.alias));
}

export function formatNodeRows(nodes: readonly ClusterNode[], apps: readonly FleetApp[]): string[][] {
  const running = apps.filter((app) => app.status === 'running').length;
  const all = [ALL_NODES, `${nodes.filter((node) => node.status === 'online').length}/${nodes.length} online`, `${running}/${apps.length}`, '', '', '', '', ''];
  return [
    all,
    ...nodes.map((node) => [
      node.alias,
      node.leader ? `${node.status} leader` : node.status,
      appCounts(node),
      node.host ? `${node.host.cpu.toFixed(0)}%` : '-',
      node.host ? `${formatBytes(node.host.memory)} / ${formatBytes(node.host.memoryTotal)}` : '-',
      formatBytes(node.host?.diskFree ?? null),
      node.status === 'online' && node.uptimeMs !== null ? formatDuration(node.uptimeMs) : '-',
      Object.entries(node.labels)
        .map(([key, value]) => `${key}=${value}`)
        .join(','),
    ]),
  ];
}

/** The apps of one node (or of all, sorted by node), as the fleet view last folded them. */
export function appsOfNode(apps: readonly FleetApp[], alias: string): FleetApp[] {
  const chosen = alias === ALL_NODES ? [...apps] : apps.filter((app) => app.node === alias);
  return chosen.sort((a, b) => a.node.localeCompare(b.node) || a.name.localeCompare(b.name) || a.instance - b.instance);
}

export function formatFleetAppRows(apps: readonly FleetApp[]): string[][] {
  return apps.map((app) => [
    app.node,
    instanceLabel(app),
    app.status,
    app.cpu === null ? '-' : `${app.cpu.toFixed(1)}%`,
    formatBytes(app.memory),
    String(app.restarts),
  ]);
}

/** The header line: the cluster, which node answers, the leader and its term, fleet totals. */
export function formatFleetHeader(status: ClusterStatus): string {
  const leader = status.leader ? `leader ${status.leader.alias ?? status.leader.id} (term ${status.leader.term})` : 'no leader';
  return (
    `owl dash --fleet  ${status.name} via ${status.alias}   ${leader}   ` +
    `nodes ${status.nodes.online} online, ${status.nodes.offline} offline   apps ${status.apps.running}/${status.apps.total} running   redis ${status.redis}`
  );
}
