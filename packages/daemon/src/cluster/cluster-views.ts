import type { ClusterNode, ClusterStatus } from '@owl/rpc';
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './cluster-keys.ts';
import { parseHolder } from './election-scripts.ts';
import { HISTORY_SPAN_MS, type MinuteBucket } from './fleet-fold.ts';
import type { NodeSummary } from './node-record.ts';
import type { Member } from './read-members.ts';
import type { FleetSeries } from '../planes/fleet-prometheus.ts';

/** `owl cluster nodes`: the registry with each node's live heartbeat (offline when it expired). */
export function nodeRows(members: readonly Member[], leaderId: string | null, now: number): ClusterNode[] {
  return members.map((member) => {
    const record = member.record;
    return {
      id: member.id,
      alias: member.identity?.alias ?? member.id,
      labels: member.identity?.labels ?? {},
      address: member.identity?.address ?? null,
      version: record?.version ?? '',
      status: record ? 'online' : 'offline',
      leader: member.id === leaderId,
      uptimeMs: record ? now - record.startedAt : null,
      apps: record?.apps ?? {},
      host: record?.host ?? null,
      lastSeen: member.lastSeen > 0 ? new Date(member.lastSeen).toISOString() : null,
    };
  });
}

export async function readLeader(redis: Redis, keys: ClusterKeys): Promise<{ id: string; term: number } | null> {
  const value = await redis.get(keys.leader);
  return value ? parseHolder(value) : null;
}

export function statusOf(base: Pick<ClusterStatus, 'name' | 'nodeId' | 'alias' | 'self'>, leader: { id: string; term: number } | null, nodes: readonly ClusterNode[]): ClusterStatus {
  const online = nodes.filter((node) => node.status === 'online');
  let total = 0;
  let running = 0;
  for (const node of online) {
    for (const [status, count] of Object.entries(node.apps)) {
      total += count;
      if (status === 'running') running += count;
    }
  }
  return {
    ...base,
    redis: 'up',
    leader: leader ? { id: leader.id, term: leader.term, alias: nodes.find((node) => node.id === leader.id)?.alias ?? null } : null,
    nodes: { online: online.length, offline: nodes.length - online.length },
    apps: { total, running },
  };
}

/** `owl fleet ls`: every app on every node, from the view the leader folds. */
export async function readFleetApps(redis: Redis, keys: ClusterKeys): Promise<Array<{ node: string; nodeId: string; name: string; instance: number; status: string; cpu: number | null; memory: number | null; restarts: number }>> {
  const view = await redis.hgetall(keys.view);
  const rows = [];
  for (const text of Object.values(view)) {
    const summary = JSON.parse(text) as NodeSummary;
    for (const app of summary.apps) rows.push({ node: summary.alias, nodeId: summary.nodeId, ...app });
  }
  return rows.sort((a, b) => a.node.localeCompare(b.node) || a.name.localeCompare(b.name) || a.instance - b.instance);
}

/** `owl fleet metrics`: one point per node per minute since `sinceMs` ago. */
export async function readFleetHistory(redis: Redis, keys: ClusterKeys, sinceMs: number, now: number): Promise<Array<{ at: string; node: string; nodeId: string; cpu: number; memory: number; appsRunning: number; appsTotal: number }>> {
  const history = await redis.hgetall(keys.history);
  const from = now - Math.min(sinceMs, HISTORY_SPAN_MS);
  const points = [];
  for (const [minute, text] of Object.entries(history)) {
    if (Number(minute) < from - 60_000) continue;
    const bucket = JSON.parse(text) as MinuteBucket;
    for (const [nodeId, figures] of Object.entries(bucket)) {
      const samples = Math.max(1, figures.samples);
      points.push({ at: new Date(Number(minute)).toISOString(), node: figures.alias, nodeId, cpu: Math.round((figures.cpuSum / samples) * 10) / 10, memory: Math.round(figures.memorySum / samples), appsRunning: figures.appsRunning, appsTotal: figures.appsTotal });
    }
  }
  return points.sort((a, b) => a.at.localeCompare(b.at) || a.node.localeCompare(b.node));
}

/** The leader's fleet series for /metrics: every node with its liveness and newest summary. */
export async function readFleetSeries(redis: Redis, keys: ClusterKeys, members: readonly Member[], term: number): Promise<FleetSeries> {
  const view = await redis.hgetall(keys.view);
  const nodes = members.map((member) => {
    const text = view[member.id];
    const summary = text ? (JSON.parse(text) as NodeSummary) : null;
    return {
      id: member.id,
      alias: member.identity?.alias ?? summary?.alias ?? member.id,
      online: member.record !== null,
      cpu: summary?.host.cpu ?? null,
      memory: summary?.host.memory ?? null,
      appsRunning: summary ? summary.apps.filter((app) => app.status === 'running').length : 0,
      appsTotal: summary ? summary.apps.length : 0,
    };
  });
  return { term, nodes };
}
