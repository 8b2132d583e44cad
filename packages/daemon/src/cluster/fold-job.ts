import type { Redis } from 'ioredis';
import type { ClusterKeys } from './cluster-keys.ts';
import type { FencedOp } from './fenced-ops.ts';
import { foldSummaries, type MinuteBucket } from './fleet-fold.ts';
import type { JobPlan, LeaderJob } from './leader-job.ts';
import { NodeSummarySchema, type NodeSummary } from './node-record.ts';
import { fieldsOf, verifyEnvelope } from './cluster-signing.ts';

const BATCH = 500;

export interface FoldJobState {
  /** Last summaries-stream entry folded. */
  cursor: string;
}

export interface ForgedReport {
  (source: string, detail: Record<string, unknown>): void;
}

/** The first leader job: folds summaries into the cluster view and the fleet history. */
export function createFoldJob(keys: ClusterKeys, clusterKey: Uint8Array, reportForged: ForgedReport): LeaderJob<FoldJobState> {
  return {
    name: 'fleet-fold',
    initial: () => ({ cursor: '0-0' }),
    plan: async (state, redis, now) => {
      const entries = await redis.xrange(keys.summaries, `(${state.cursor}`, '+', 'COUNT', BATCH);
      if (entries.length === 0) return null;
      const summaries: NodeSummary[] = [];
      for (const [id, flat] of entries) {
        const fields = fieldsOf(flat);
        const parsed = NodeSummarySchema.safeParse(verifyEnvelope(clusterKey, fields.body, fields.sig));
        if (parsed.success) summaries.push(parsed.data);
        else reportForged('summary', { streamId: id });
      }
      return planFold(keys, redis, summaries, now, (entries.at(-1) as [string, string[]])[0]);
    },
  };
}

async function planFold(keys: ClusterKeys, redis: Redis, summaries: NodeSummary[], now: number, cursor: string): Promise<JobPlan<FoldJobState>> {
  const nodeIds = [...new Set(summaries.map((summary) => summary.nodeId))];
  const minutesTouched = [...new Set(summaries.map((summary) => summary.at - (summary.at % 60_000)))];
  const [viewValues, bucketValues, minuteFields] = await Promise.all([
    nodeIds.length ? redis.hmget(keys.view, ...nodeIds) : Promise.resolve([]),
    minutesTouched.length ? redis.hmget(keys.history, ...minutesTouched.map(String)) : Promise.resolve([]),
    redis.hkeys(keys.history),
  ]);
  const view = new Map<string, NodeSummary>();
  nodeIds.forEach((id, index) => {
    const value = viewValues[index];
    if (value) view.set(id, JSON.parse(value) as NodeSummary);
  });
  const buckets = new Map<number, MinuteBucket>();
  minutesTouched.forEach((minute, index) => {
    const value = bucketValues[index];
    if (value) buckets.set(minute, JSON.parse(value) as MinuteBucket);
  });
  const folded = foldSummaries({ view, buckets, minutes: minuteFields.map(Number), summaries, now });
  const ops: FencedOp[] = [];
  for (const [id, summary] of folded.view) ops.push({ op: 'hset', k: 0, f: id, v: JSON.stringify(summary) });
  for (const [minute, bucket] of folded.buckets) ops.push({ op: 'hset', k: 1, f: String(minute), v: JSON.stringify(bucket) });
  for (const minute of folded.dropMinutes) ops.push({ op: 'hdel', k: 1, f: String(minute) });
  return { next: { cursor }, keys: [keys.view, keys.history], ops };
}
