import type { ElectionLoop, FencedOutcome } from './election-loop.ts';
import type { FencedOp } from './fenced-ops.ts';
import type { ClusterKeys } from './cluster-keys.ts';
import type { Redis } from 'ioredis';

/** What one step of a job decided: the next job state and the writes that go with it. */
export interface JobPlan<S> {
  readonly next: S;
  /** Keys the ops touch; ops index into this list. */
  readonly keys: readonly string[];
  readonly ops: readonly FencedOp[];
  /** Runs only after the step was committed (events, logs): a step's effects happen once. */
  readonly afterCommit?: () => void;
}

/**
 * Long work the leader drives. Its state lives in Redis (`job:<name>`); each step is planned
 * from that state and committed in one fenced script that also compares the state it started
 * from, so a new leader resumes where the old one stopped and no step is applied twice.
 */
export interface LeaderJob<S> {
  readonly name: string;
  initial(): S;
  /** Reads what it needs and decides; null when there is nothing to do now. */
  plan(state: S, redis: Redis, now: number): Promise<JobPlan<S> | null>;
}

interface StoredJob<S> {
  state: S;
  step: number;
  term: number;
  at: number;
}

export type JobStepOutcome = FencedOutcome | 'idle';

/** Runs one step of `job` if this node leads: read state, plan, commit fenced with compare-and-set. */
export async function runJobStep<S>(job: LeaderJob<S>, redis: Redis, keys: ClusterKeys, election: ElectionLoop): Promise<JobStepOutcome> {
  if (!election.isLeader()) return 'not_leader';
  const jobKey = keys.job(job.name);
  const raw = (await redis.get(jobKey)) ?? '';
  const stored = raw === '' ? null : (JSON.parse(raw) as StoredJob<S>);
  const plan = await job.plan(stored ? stored.state : job.initial(), redis, Date.now());
  if (!plan) return 'idle';
  const term = election.state.role === 'leader' ? election.state.term : 0;
  const record: StoredJob<S> = { state: plan.next, step: (stored?.step ?? 0) + 1, term, at: Date.now() };
  const ops: FencedOp[] = [
    { op: 'expect', k: 0, v: raw },
    { op: 'set', k: 0, v: JSON.stringify(record) },
    ...plan.ops.map((op) => ({ ...op, k: op.k + 1 })),
  ];
  const outcome = await election.fencedWrite(`job:${job.name}#${record.step}`, [jobKey, ...plan.keys], ops);
  if (outcome === 'applied') plan.afterCommit?.();
  return outcome;
}
