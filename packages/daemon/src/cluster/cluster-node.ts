import { hostname } from 'node:os';
import path from 'node:path';
import type { ClusterConfig } from './cluster-config.ts';
import type { ClusterControl, ClusterDeps } from './cluster-control.ts';
import { clusterKeys, type ClusterKeys } from './cluster-keys.ts';
import { createClusterControl } from './cluster-control-impl.ts';
import { loadClusterKey, loadNodeId } from './cluster-identity.ts';
import { signPayload } from './cluster-signing.ts';
import { CommandConsumer } from './command-consumer.ts';
import { ResultReaders } from './command-issuer.ts';
import { ElectionLoop } from './election-loop.ts';
import { createFoldJob } from './fold-job.ts';
import { HandledCommands } from './handled-commands.ts';
import { HeartbeatLoop } from './heartbeat-loop.ts';
import { HostFigureReader } from './host-figures.ts';
import { runJobStep, type LeaderJob } from './leader-job.ts';
import { createLivenessJob } from './liveness-job.ts';
import { openRedisLinks, type RedisLinks } from './redis-connection.ts';
import { TermFloor } from './term-floor.ts';

const FORGED_MAX = 1_000;
const JOB_STEPS_PER_BEAT = 8;

/** What a running node is made of; the control answers from it. */
export interface ClusterParts {
  config: ClusterConfig;
  deps: ClusterDeps;
  nodeId: string;
  alias: string;
  clusterKey: Uint8Array;
  keys: ClusterKeys;
  links: RedisLinks;
  election: ElectionLoop;
  heartbeat: HeartbeatLoop;
  consumer: CommandConsumer;
  /** Blocking reads of fleet results, one connection per waiting command. */
  readers: ResultReaders;
}

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
  const reportForged = forgedReporter(config.name, nodeId, clusterKey, keys, links, deps);
  const jobs: Array<LeaderJob<never>> = [
    createLivenessJob(keys, clusterKey, (changes) => {
      for (const change of changes) events.emit({ type: change.status === 'online' ? 'node_online' : 'node_offline', data: { cluster: config.name, node: change.id } });
    }, reportForged) as LeaderJob<never>,
    createFoldJob(keys, clusterKey, reportForged) as LeaderJob<never>,
  ];
  const heartbeat = new HeartbeatLoop({
    nodeId, alias, version: deps.version, startedAt: deps.startedAt.getTime(), config, keys, clusterKey, links, log,
    host: new HostFigureReader(deps.home),
    listApps: () => deps.apps.list(),
    planeFingerprint: () => {
      const plane = deps.tcpPlane();
      return plane?.tls ? (plane.fingerprint ?? null) : null;
    },
    afterBeat: () => runLeaderJobs(jobs, links, keys, election),
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
  return createClusterControl({ config, deps, nodeId, alias, clusterKey, keys, links, election, heartbeat, consumer, readers: new ResultReaders(links.blocking) });
}

/** A job catches up in a few steps per beat (a large fleet pushes more than one batch per beat), bounded so a beat stays short. */
async function runLeaderJobs(jobs: ReadonlyArray<LeaderJob<never>>, links: RedisLinks, keys: ClusterKeys, election: ElectionLoop): Promise<void> {
  for (const job of jobs) {
    for (let step = 0; step < JOB_STEPS_PER_BEAT && links.isUp(); step += 1) {
      if ((await runJobStep(job, links.main, keys, election)) !== 'applied') break;
    }
  }
}

/** Refused entries are an event (audit log, webhooks), a log line and a signed report in `{owl:n}:forged`. */
function forgedReporter(cluster: string, nodeId: string, clusterKey: Uint8Array, keys: ClusterKeys, links: RedisLinks, deps: ClusterDeps): (source: string, detail: Record<string, unknown>) => void {
  return (source, detail) => {
    deps.log.warn(`cluster_forged: refused a ${source} without a valid cluster signature ${JSON.stringify(detail)}`);
    deps.events.emit({ type: 'cluster_forged', data: { cluster, node: nodeId, source, ...detail } });
    const { body, sig } = signPayload(clusterKey, { nodeId, source, detail, at: Date.now() });
    links.main.xadd(keys.forged, 'MAXLEN', '~', FORGED_MAX, '*', 'body', body, 'sig', sig).catch(() => undefined);
  };
}
