import { hostname } from 'node:os';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import type { ClusterConfig } from './cluster-config.ts';
import type { ClusterControl, ClusterDeps } from './cluster-control.ts';
import { clusterKeys } from './cluster-keys.ts';
import { loadClusterKey, loadNodeId } from './cluster-identity.ts';
import { signPayload } from './cluster-signing.ts';
import { CommandConsumer } from './command-consumer.ts';
import { issueFleetCommand } from './command-issuer.ts';
import { nodeRows, readFleetApps, readFleetHistory, readFleetSeries, readLeader, statusOf } from './cluster-views.ts';
import { ElectionLoop } from './election-loop.ts';
import { createFoldJob } from './fold-job.ts';
import { HandledCommands } from './handled-commands.ts';
import { HeartbeatLoop } from './heartbeat-loop.ts';
import { HostFigureReader } from './host-figures.ts';
import { runJobStep } from './leader-job.ts';
import { createLivenessJob } from './liveness-job.ts';
import { readMembers } from './read-members.ts';
import { openRedisLinks } from './redis-connection.ts';
import { TermFloor } from './term-floor.ts';

const FORGED_MAX = 1_000;
const JOB_STEPS_PER_BEAT = 8;

/** Starts this daemon's part of the cluster: election, heartbeats, leader jobs, fleet commands. */
export async function startClusterNode(config: ClusterConfig, deps: ClusterDeps): Promise<ClusterControl> {
  const { events, log } = deps;
  const nodeId = await loadNodeId(deps.home);
  const clusterKey = await loadClusterKey(deps.keysDirectory, false);
  const floor = await TermFloor.open(path.join(deps.home, 'cluster-term'));
  const handled = await HandledCommands.open(path.join(deps.home, 'cluster-commands.json'));
  const keys = clusterKeys(config.name);
  const alias = config.alias ?? hostname();
  const links = await openRedisLinks(config, events, log);
  const election = new ElectionLoop({ nodeId, clusterName: config.name, keys, links, floor, leaseMs: config.leaseMs, renewMs: config.renewMs, events, log });
  const reportForged = (source: string, detail: Record<string, unknown>): void => {
    log.warn(`cluster_forged: refused a ${source} without a valid cluster signature ${JSON.stringify(detail)}`);
    events.emit({ type: 'cluster_forged', data: { cluster: config.name, node: nodeId, source, ...detail } });
    const { body, sig } = signPayload(clusterKey, { nodeId, source, detail, at: Date.now() });
    links.main.xadd(keys.forged, 'MAXLEN', '~', FORGED_MAX, '*', 'body', body, 'sig', sig).catch(() => undefined);
  };
  const jobs = [
    createLivenessJob(keys, clusterKey, (changes) => {
      for (const change of changes) events.emit({ type: change.status === 'online' ? 'node_online' : 'node_offline', data: { cluster: config.name, node: change.id } });
    }),
    createFoldJob(keys, clusterKey, reportForged),
  ];
  const heartbeat = new HeartbeatLoop({
    nodeId, alias, version: deps.version, startedAt: deps.startedAt.getTime(), config, keys, clusterKey, links, log,
    host: new HostFigureReader(deps.home),
    listApps: () => deps.apps.list(),
    afterBeat: async () => {
      // A job catches up in a few steps per beat (a large fleet pushes more than one batch per beat), bounded so a beat stays short.
      for (const job of jobs) {
        for (let step = 0; step < JOB_STEPS_PER_BEAT && links.isUp(); step += 1) {
          if ((await runJobStep(job as Parameters<typeof runJobStep>[0], links.main, keys, election)) !== 'applied') break;
        }
      }
    },
  });
  const consumer = new CommandConsumer({
    nodeId, clusterName: config.name, keys, clusterKey, links, handled, events, log, reportForged,
    execute: async (command) => {
      await deps.apps[command.action](command.app);
    },
  });
  election.start();
  heartbeat.start();
  consumer.start();
  log.info(`cluster "${config.name}": node ${nodeId} (${alias}) started`);

  const requireRedis = (): void => {
    if (!links.isUp()) throw new OwlError('OWL_REDIS_UNAVAILABLE', `the Redis of cluster "${config.name}" cannot be reached now; this node keeps supervising its apps locally`);
  };
  const members = async () => readMembers(links.main, keys, clusterKey);
  return {
    name: config.name,
    status: async () => {
      const state = election.state;
      const base = { name: config.name, nodeId, alias, self: { leader: election.isLeader(), term: state.role === 'leader' ? state.term : null, highestTerm: state.highestTerm } };
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
      const result = await issueFleetCommand(links.main, keys, clusterKey, nodeId, await members(), request);
      events.emit({ type: 'fleet_command_issued', app: request.app, data: { cluster: config.name, id: result.id, action: request.action, subject: request.subject, targets: result.rows.map((row) => row.nodeId) } });
      return result;
    },
    forget: async () => {
      if (links.isUp()) await heartbeat.forget().catch(() => undefined);
    },
    stop: async () => {
      heartbeat.stop();
      const halted = consumer.halt();
      await election.stop();
      await links.close();
      await halted;
      log.info(`cluster "${config.name}": node ${nodeId} stopped`);
    },
  };
}
