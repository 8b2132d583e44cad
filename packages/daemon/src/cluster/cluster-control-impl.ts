import { OwlError } from '@owl/rpc';
import type { ClusterControl } from './cluster-control.ts';
import type { ClusterParts } from './cluster-node.ts';
import { issueFleetCommand } from './command-issuer.ts';
import { readFleetLogs } from './fleet-logs.ts';
import { issueNodeToken } from './node-token.ts';
import { nodeRows, readFleetApps, readFleetHistory, readFleetSeries, readLeader, statusOf } from './cluster-views.ts';
import { readMembers } from './read-members.ts';

/** The running node as the daemon's handlers see it: reads answer from Redis, commands go through it. */
export function createClusterControl(parts: ClusterParts): ClusterControl {
  const { config, deps, nodeId, alias, clusterKey, keys, links, election, heartbeat, consumer, readers } = parts;
  const { events, log } = deps;
  const requireRedis = (): void => {
    if (!links.isUp()) throw new OwlError('OWL_REDIS_UNAVAILABLE', `the Redis of cluster "${config.name}" cannot be reached now; this node keeps supervising its apps locally`);
  };
  const members = async () => readMembers(links.main, keys, clusterKey);
  return {
    name: config.name,
    status: async () => {
      const state = election.state;
      const base = { name: config.name, nodeId, alias, self: { leader: election.isLeader(), term: state.role === 'leader' ? state.term : null, highestTerm: state.highestTerm, bufferedSummaries: heartbeat.buffered } };
      if (!links.isUp()) return { ...base, redis: 'down', leader: null, nodes: { online: 0, offline: 0 }, apps: { total: 0, running: 0 } };
      const leader = await readLeader(links.main, keys);
      return statusOf(base, leader, nodeRows(await members(), leader?.id ?? null, Date.now()));
    },
    nodes: async () => {
      requireRedis();
      const leader = await readLeader(links.main, keys);
      return nodeRows(await members(), leader?.id ?? null, Date.now());
    },
    stepDown: () => election.stepDown(),
    fleetApps: async () => {
      requireRedis();
      return readFleetApps(links.main, keys);
    },
    fleetMetrics: async (sinceMs) => {
      requireRedis();
      return readFleetHistory(links.main, keys, sinceMs, Date.now());
    },
    fleetSeries: async () => {
      const state = election.state;
      if (!election.isLeader() || state.role !== 'leader' || !links.isUp()) return null;
      return readFleetSeries(links.main, keys, await members(), state.term);
    },
    runFleet: async (request) => {
      requireRedis();
      const result = await issueFleetCommand(links.main, readers, keys, clusterKey, nodeId, await members(), request);
      events.emit({ type: 'fleet_command_issued', app: request.app, data: { cluster: config.name, id: result.id, action: request.action, subject: request.subject, targets: result.rows.map((row) => row.nodeId) } });
      return result;
    },
    fleetLogs: async (request) => {
      requireRedis();
      return readFleetLogs({ selfId: nodeId, members: await members(), readLocal: deps.readLogs, nodeToken: () => issueNodeToken(clusterKey, config.name, nodeId) }, request);
    },
    forget: async () => {
      if (links.isUp()) await heartbeat.forget().catch(() => undefined);
    },
    stop: async () => {
      heartbeat.stop();
      readers.closeAll();
      const halted = consumer.halt();
      await election.stop();
      await links.close();
      await halted;
      log.info(`cluster "${config.name}": node ${nodeId} stopped`);
    },
  };
}
