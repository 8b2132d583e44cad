import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EventBus } from '../../src/events/event-bus.ts';
import type { DaemonLog } from '../../src/daemon-log/daemon-log.ts';
import { resolveClusterConfig, ClusterConfigSchema } from '../../src/cluster/cluster-config.ts';
import { clusterKeys } from '../../src/cluster/cluster-keys.ts';
import { ElectionLoop } from '../../src/cluster/election-loop.ts';
import { runJobStep, type LeaderJob } from '../../src/cluster/leader-job.ts';
import { openRedisLinks, type RedisLinks } from '../../src/cluster/redis-connection.ts';
import { TermFloor } from '../../src/cluster/term-floor.ts';
import { startRedisServer } from '@owl/test-support/redis-server';
import { waitFor } from '@owl/test-support/wait-for';

function memoryLog(): DaemonLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line), close: async () => undefined };
}

/** A job that records each step number in a hash: a step applied twice would show up. */
function countingJob(keys: ReturnType<typeof clusterKeys>, limit: number): LeaderJob<{ done: number }> {
  return {
    name: 'counting',
    initial: () => ({ done: 0 }),
    plan: async (state) => (state.done >= limit ? null : { next: { done: state.done + 1 }, keys: [`${keys.view}:steps`], ops: [{ op: 'hset', k: 0, f: String(state.done + 1), v: 'ran' }] }),
  };
}

interface TestMember {
  election: ElectionLoop;
  links: RedisLinks;
  log: ReturnType<typeof memoryLog>;
}

async function member(url: string, nodeId: string, events: EventBus): Promise<TestMember> {
  const home = mkdtempSync(path.join(tmpdir(), 'owl-job-'));
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  const config = resolveClusterConfig(ClusterConfigSchema.parse({ redis: url, name: 'jobs', leaseMs: 3_000 }));
  const log = memoryLog();
  const links = await openRedisLinks(config, events, log);
  await waitFor(() => links.isUp());
  const election = new ElectionLoop({ nodeId, clusterName: 'jobs', keys: clusterKeys('jobs'), links, floor: await TermFloor.open(path.join(home, 'term')), leaseMs: config.leaseMs, renewMs: config.renewMs, events, log });
  onTestFinished(async () => {
    await election.stop();
    await links.close();
  });
  return { election, links, log };
}

describe('leader jobs under fencing (real redis-server)', () => {
  it('a new leader resumes a job where the old one stopped; a stale term is refused by the script; no step runs twice', async () => {
    const redis = await startRedisServer();
    const client = redis.client();
    const keys = clusterKeys('jobs');
    const events = new EventBus();
    const a = await member(redis.url, 'node-a', events);
    a.election.start();
    await waitFor(() => a.election.isLeader(), { message: 'a never led' });
    const b = await member(redis.url, 'node-b', events);
    b.election.start();
    const job = countingJob(keys, 6);
    for (let step = 0; step < 3; step += 1) expect(await runJobStep(job, a.links.main, keys, a.election)).toBe('applied');
    // Two steps planned from the same state: the second one's compare fails, nothing is applied twice.
    const racing = await Promise.all([runJobStep(job, a.links.main, keys, a.election), runJobStep(job, a.links.main, keys, a.election)]);
    expect(racing.sort()).toEqual(['applied', 'conflict']);

    // The lease moves to b behind a's back (as after a pause): a still believes it leads by its
    // own clock for a moment, but the script refuses its term.
    const aTerm = a.election.state.role === 'leader' ? a.election.state.term : 0;
    await client.del(keys.leader);
    const stale = await a.election.fencedWrite('stale', [`${keys.view}:steps`], [{ op: 'hset', k: 0, f: 'stale', v: 'x' }]);
    expect(['fenced', 'not_leader']).toContain(stale);
    // a backs off (its release finds nothing to delete), so b is the one that takes the next term.
    await a.election.stepDown();
    await waitFor(() => b.election.isLeader(), { message: 'b never took over' });
    expect(await client.hget(`${keys.view}:steps`, 'stale')).toBeNull();

    // b resumes at step 5 and finishes; a can no longer apply anything.
    while ((await runJobStep(job, b.links.main, keys, b.election)) === 'applied');
    expect(await runJobStep(job, a.links.main, keys, a.election)).not.toBe('applied');
    expect(Object.keys(await client.hgetall(`${keys.view}:steps`)).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    const stored = JSON.parse((await client.get(keys.job('counting'))) as string) as { step: number; term: number };
    expect(stored.step).toBe(6);
    expect(stored.term).toBeGreaterThan(aTerm);
    const writes = await client.xrange(keys.writes, '-', '+');
    const terms = writes.map(([, flat]) => Number((flat[1] as string).split(':')[1]));
    expect(terms.slice(terms.findIndex((term) => term > aTerm)).every((term) => term > aTerm)).toBe(true);
  }, 60_000);

  it('the fence script itself refuses a write whose term no longer holds the lease', async () => {
    const redis = await startRedisServer();
    const client = redis.client();
    const keys = clusterKeys('jobs');
    const a = await member(redis.url, 'node-a', new EventBus());
    a.election.start();
    await waitFor(() => a.election.isLeader());
    const term = a.election.state.role === 'leader' ? a.election.state.term : 0;
    // Someone else holds the lease with a higher term while a's clock still says it leads.
    await client.set(keys.leader, `node-z:${term + 1}`, 'PX', 3_000);
    expect(await a.election.fencedWrite('probe', [keys.view], [{ op: 'hset', k: 0, f: 'x', v: 'y' }])).toBe('fenced');
    expect(await client.hget(keys.view, 'x')).toBeNull();
    expect(a.election.refusedWrites).toBe(1);
    expect(a.log.lines.some((line) => line.startsWith(`fenced write probe refused for term ${term}`))).toBe(true);
  }, 30_000);
});
