import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '@owl/test-support/owl';
import { startRedisServer } from '@owl/test-support/redis-server';
import { clusterStatus, mustRun, owlJson, startClusterNodes, startDaemon, waitForOneLeader } from '@owl/test-support/cluster-nodes';
import { waitFor } from '@owl/test-support/wait-for';

interface WriteEntry {
  holder: string;
  term: number;
  write: string;
}

async function fencedWrites(redis: ReturnType<Awaited<ReturnType<typeof startRedisServer>>['client']>): Promise<WriteEntry[]> {
  const entries = await redis.xrange('{owl:test}:writes', '-', '+');
  return entries.map(([, flat]) => {
    const fields = Object.fromEntries(flat.reduce<string[][]>((pairs, value, index) => (index % 2 ? pairs : [...pairs, [value, flat[index + 1] as string]]), []));
    return { holder: fields.holder as string, term: Number((fields.holder as string).split(':')[1]), write: fields.write as string };
  });
}

/** Every lease release the daemons publish (compare-and-delete), as "<node>:<term>" joined in one string. */
async function listenForReleases(redis: Awaited<ReturnType<typeof startRedisServer>>): Promise<{ toString(): string; includes(text: string): boolean }> {
  const subscriber = redis.client();
  const seen: string[] = [];
  subscriber.on('message', (_channel: string, holder: string) => seen.push(holder));
  await subscriber.subscribe('{owl:test}:released');
  return { toString: () => seen.join(' '), includes: (text) => seen.some((holder) => holder.endsWith(text)) };
}

describe('cluster election over a real redis-server', () => {
  it('elects one leader; kill -9, daemon stop and SIGSTOP of the leader hand over to a higher term, and a paused leader writes nothing', async () => {
    const redis = await startRedisServer();
    const nodes = await startClusterNodes(redis.url, 3);
    const first = await waitForOneLeader(nodes);

    // kill -9: the lease expires, another node takes a higher term.
    process.kill(first.leader.pid(), 'SIGKILL');
    await waitFor(() => !isAlive(first.leader.pid()), { message: 'killed leader still alive' });
    const others = nodes.filter((node) => node !== first.leader);
    const second = await waitForOneLeader(others, 15_000, first.term);
    expect(second.term).toBeGreaterThan(first.term);
    await startDaemon(first.leader);
    await waitForOneLeader(nodes, 15_000, first.term - 1);

    // `owl daemon stop` releases the lease at once: the next leader does not wait for its expiry.
    // (How fast is measured by the bench, not asserted here: the test proves the lease was released.)
    const releases = await listenForReleases(redis);
    const stopping = await waitForOneLeader(nodes);
    await mustRun(['daemon', 'stop'], stopping.leader.home);
    const third = await waitForOneLeader(nodes.filter((node) => node !== stopping.leader), 10_000, second.term);
    expect(releases.includes(`:${stopping.term}`), `releases seen: ${releases.toString()}`).toBe(true);
    await startDaemon(stopping.leader);

    // SIGSTOP the leader past its lease: another takes over; after SIGCONT the old one writes nothing.
    const paused = (await waitForOneLeader(nodes, 15_000, third.term - 1)).leader;
    const pausedTerm = (await clusterStatus(paused))?.self.term as number;
    // It has written as leader before the pause (so there is a stale term that could write).
    await waitFor(async () => (await fencedWrites(redis.client())).some((entry) => entry.term === pausedTerm), { timeoutMs: 15_000, message: 'the leader never wrote' });
    process.kill(paused.pid(), 'SIGSTOP');
    const fourth = await waitForOneLeader(nodes.filter((node) => node !== paused), 15_000, pausedTerm);
    process.kill(paused.pid(), 'SIGCONT');
    await waitFor(async () => (await clusterStatus(paused))?.self.leader === false, { message: 'resumed leader still claims to lead' });
    // Let the resumed node run several heartbeat cycles (each would try its leader jobs).
    const log = path.join(paused.home, 'logs', 'daemon.log');
    await waitFor(async () => (await readFile(log, 'utf8')).includes(`leader_lost term ${pausedTerm}`), { message: 'no leader_lost in the paused node log' });
    await waitFor(async () => (await fencedWrites(redis.client())).filter((entry) => entry.term === fourth.term).length >= 3, { timeoutMs: 15_000 });

    const writes = await fencedWrites(redis.client());
    const takeover = writes.findIndex((entry) => entry.term === fourth.term);
    expect(takeover).toBeGreaterThanOrEqual(0);
    // No write of a stale term after the new term's first write, and terms never go back.
    expect(writes.slice(takeover).filter((entry) => entry.term < fourth.term)).toEqual([]);
    for (let index = 1; index < writes.length; index += 1) expect((writes[index] as WriteEntry).term).toBeGreaterThanOrEqual((writes[index - 1] as WriteEntry).term);
    expect(writes.some((entry) => entry.term === pausedTerm)).toBe(true);

    // `owl cluster step-down`: the leader releases at once and another node leads with a higher term.
    const current = await waitForOneLeader(nodes, 15_000, pausedTerm);
    expect(await owlJson(['cluster', 'step-down'], current.leader.home)).toEqual({ wasLeader: true, term: current.term });
    const next = await waitForOneLeader(nodes, 10_000, current.term);
    expect(releases.includes(`:${current.term}`), `releases seen: ${releases.toString()}`).toBe(true);
    expect(next.leader).not.toBe(current.leader);
    expect(await owlJson(['cluster', 'step-down'], current.leader.home)).toEqual({ wasLeader: false, term: null });
  }, 180_000);
});
