import type { RpcClient } from '@owl/rpc';
import type { ClusterNode, FleetApp } from '@owl/rpc/contract';
import { createShell, createTable, selectedIndex, setRows } from './dashboard-shell.ts';
import { toggleAction } from './dashboard-view.ts';
import { ALL_NODES, FLEET_APP_COLUMNS, NODE_COLUMNS, appsOfNode, formatFleetAppRows, formatFleetHeader, formatNodeRows, sortNodes } from './fleet-view.ts';

export interface FleetDashboardOptions {
  /** How often the tables and header are refreshed (default 1 s). */
  refreshMs?: number;
}

const HELP = '↑/↓ select   tab nodes/apps   s start/stop   r restart (on that node)   q quit';

/**
 * `owl dash --fleet`: the cluster from any one of its daemons: the leader and its term, every
 * node with its liveness and host figures, and below it the apps of the selected node (or of
 * all). `s` and `r` send a signed fleet command to the app's own node and show its result, so
 * the operator role is checked and audited exactly as for `owl fleet restart`. Everything is
 * read from the same RPC calls as `owl cluster status`, `owl cluster nodes` and `owl fleet ls`,
 * polled once per refresh.
 */
export function runFleetDashboard(client: RpcClient, options: FleetDashboardOptions): Promise<void> {
  const shell = createShell('owl dash --fleet', HELP);
  const nodesTable = createTable(shell, { top: 1, height: '40%-1', label: ' nodes ' }, NODE_COLUMNS);
  const appsTable = createTable(shell, { top: '40%', height: '60%-1', label: ' apps: all nodes ' }, FLEET_APP_COLUMNS);

  let nodes: ClusterNode[] = [];
  let apps: FleetApp[] = [];
  let shownApps: FleetApp[] = [];
  // Row 0 of the nodes table is "all"; the rest follow the sorted nodes.
  const selectedNode = (): string => (selectedIndex(nodesTable) === 0 ? ALL_NODES : (nodes[selectedIndex(nodesTable) - 1]?.alias ?? ALL_NODES));

  const showApps = (): void => {
    const alias = selectedNode();
    shownApps = appsOfNode(apps, alias);
    appsTable.setLabel(alias === ALL_NODES ? ' apps: all nodes ' : ` apps: ${alias} `);
    setRows(appsTable, FLEET_APP_COLUMNS, formatFleetAppRows(shownApps));
  };

  const refresh = async (): Promise<void> => {
    const [status, listed, fleet] = await Promise.all([client.call('cluster.status', {}), client.call('cluster.nodes', {}), client.call('fleet.ls', {})]);
    nodes = sortNodes(listed);
    apps = fleet;
    shell.header.setContent(formatFleetHeader(status));
    setRows(nodesTable, NODE_COLUMNS, formatNodeRows(nodes, apps));
    showApps();
  };

  const act = async (action: 'start' | 'stop' | 'restart'): Promise<void> => {
    const app = shownApps[selectedIndex(appsTable)];
    if (!app || shell.screen.focused !== appsTable) {
      shell.say('select an app first: tab moves to the apps table');
      return;
    }
    shell.say(`${action} ${app.name} on ${app.node}...`);
    try {
      const result = await client.call('fleet.run', { action, app: app.name, nodes: [app.node], all: false, wait: true });
      const rows = result.rows.map((row) => `${row.node}: ${row.status}${row.message ? ` (${row.message})` : ''}`);
      shell.say(`${action} ${app.name}: ${rows.join(', ') || 'no node answered'}`);
    } catch (error) {
      shell.say(`${action} ${app.name} on ${app.node} failed: ${(error as Error).message}`);
    }
  };

  shell.screen.key(['tab'], () => {
    (shell.screen.focused === nodesTable ? appsTable : nodesTable).focus();
    shell.screen.render();
  });
  shell.screen.key(['s'], () => {
    const status = (shownApps[selectedIndex(appsTable)]?.status ?? 'stopped') as Parameters<typeof toggleAction>[0];
    void act(toggleAction(status) === 'apps.stop' ? 'stop' : 'start');
  });
  shell.screen.key(['r'], () => void act('restart'));
  let shownNode = ALL_NODES;
  nodesTable.on('select item', () => {
    // Refreshes re-select the same row: only a move to another node changes the apps below.
    if (selectedNode() === shownNode) return;
    shownNode = selectedNode();
    showApps();
    shell.screen.render();
  });
  nodesTable.focus();
  return shell.run(options.refreshMs ?? 1000, refresh);
}
