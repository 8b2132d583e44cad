import type { Command } from 'commander';
import type { ClusterNode, ClusterStatus } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { renderTable } from '../output/format.ts';
import { printJson, printLine } from '../output/print.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function renderStatus(status: ClusterStatus): string {
  const leader = status.leader ? `${status.leader.alias ?? status.leader.id} (term ${status.leader.term})` : 'none';
  return [
    `cluster   ${status.name}`,
    `node      ${status.alias} (${status.nodeId})${status.self.leader ? ', leader' : ''}`,
    `redis     ${status.redis}${status.self.bufferedSummaries > 0 ? ` (${status.self.bufferedSummaries} summaries buffered)` : ''}`,
    `leader    ${leader}`,
    `nodes     ${status.nodes.online} online, ${status.nodes.offline} offline`,
    `apps      ${status.apps.running}/${status.apps.total} running`,
  ].join('\n');
}

function renderNodes(nodes: ClusterNode[]): string {
  if (nodes.length === 0) return 'no nodes yet';
  return renderTable(
    ['ALIAS', 'ID', 'STATUS', 'LEADER', 'APPS', 'CPU', 'LABELS', 'ADDRESS'],
    nodes.map((node) => [
      node.alias,
      node.id.slice(0, 12),
      node.status,
      node.leader ? 'yes' : '',
      `${node.apps.running ?? 0}/${Object.values(node.apps).reduce((sum, count) => sum + count, 0)}`,
      node.host ? `${node.host.cpu}%` : '-',
      Object.entries(node.labels).map(([key, value]) => `${key}=${value}`).join(',') || '-',
      node.address ?? '-',
    ]),
  );
}

export function registerClusterCommands(program: Command): void {
  const cluster = program.command('cluster').description('join daemons over a shared Redis: membership, a fenced leader, fleet view (docs/cluster.md)');

  cluster
    .command('init')
    .description('create a cluster key, join this daemon and print a one-line join token (a secret)')
    .requiredOption('--redis <url>', 'redis:// or rediss:// URL (user and password in the URL), or redis+sentinel://host:port[,host:port]/master')
    .option('--name <name>', 'cluster name: the prefix of its Redis keys', 'owl')
    .option('--alias <alias>', 'this node\'s name in the fleet (default: host name)')
    .option('--label <k=v>', 'a label for --label selection (repeatable)', collect, [])
    .option('--address <host:port>', 'where other nodes reach this node\'s TCP plane')
    .option('--redis-cluster', 'the URL names one seed node of a Redis Cluster')
    .action(async (options: { redis: string; name: string; alias?: string; label: string[]; address?: string; redisCluster?: boolean }, command: Command) => {
      const globals = globalOptions(command);
      const params = { redis: options.redis, name: options.name, labels: options.label, redisCluster: options.redisCluster === true, ...(options.alias ? { alias: options.alias } : {}), ...(options.address ? { address: options.address } : {}) };
      const result = await withClient(globals, (client) => client.call('cluster.init', params));
      if (globals.json) printJson(result);
      else printLine(result.token);
      if (!globals.json && process.stderr.isTTY) process.stderr.write(`cluster "${result.name}" created; on other machines: owl cluster join <token>\n`);
    });

  cluster
    .command('join')
    .argument('<token>', 'the token owl cluster init printed')
    .description('join the cluster the token names; takes effect at once (config reload)')
    .option('--alias <alias>', 'this node\'s name in the fleet (default: host name)')
    .option('--label <k=v>', 'a label for --label selection (repeatable)', collect, [])
    .option('--address <host:port>', 'where other nodes reach this node\'s TCP plane')
    .action(async (token: string, options: { alias?: string; label: string[]; address?: string }, command: Command) => {
      const globals = globalOptions(command);
      const params = { token, labels: options.label, ...(options.alias ? { alias: options.alias } : {}), ...(options.address ? { address: options.address } : {}) };
      const result = await withClient(globals, (client) => client.call('cluster.join', params));
      if (globals.json) printJson(result);
      else printLine(`joined cluster "${result.name}" as node ${result.nodeId}`);
    });

  cluster
    .command('leave')
    .description('leave the cluster (apps keep running; config.json loses its cluster block)')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const result = await withClient(globals, (client) => client.call('cluster.leave', {}));
      if (globals.json) printJson(result);
      else printLine(result.left === null ? 'not in a cluster' : `left cluster "${result.left}"`);
    });

  cluster
    .command('status')
    .description('leader, term, nodes online/offline, fleet totals')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const status = await withClient(globals, (client) => client.call('cluster.status', {}));
      if (globals.json) printJson(status);
      else printLine(renderStatus(status));
    });

  cluster
    .command('nodes')
    .description('every node with its heartbeat figures')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const nodes = await withClient(globals, (client) => client.call('cluster.nodes', {}));
      if (globals.json) printJson(nodes);
      else printLine(renderNodes(nodes));
    });

  cluster
    .command('step-down')
    .description('release leadership at once if this node leads')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const result = await withClient(globals, (client) => client.call('cluster.stepDown', {}));
      if (globals.json) printJson(result);
      else printLine(result.wasLeader ? `stepped down from term ${result.term}` : 'this node was not the leader');
    });
}
