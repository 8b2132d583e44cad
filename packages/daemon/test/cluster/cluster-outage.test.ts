import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRow, startFixture } from '@owl/test-support/apps';
import { startRedisServer, startTcpProxy, type TcpProxy } from '@owl/test-support/redis-server';
import { clusterStatus, owlJson, pointAt, startClusterNodes, waitForOneLeader, type TestNode } from '@owl/test-support/cluster-nodes';
import { waitFor } from '@owl/test-support/wait-for';

async function eventsOf(node: TestNode, type: string): Promise<Array<{ data: Record<string, unknown> }>> {
  const text = await readFile(path.join(node.home, 'audit.log'), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> }).filter((line) => line.type === type);
}

describe('cluster outages', () => {
  it('a node cut off from Redis keeps supervising, steps down and rejoins; Redis restarted empty: the cluster re-forms with higher terms and buffered summaries arrive', async () => {
    const redis = await startRedisServer();
    const nodes = await startClusterNodes(redis.url, 3, 'test');
    const proxies = new Map<TestNode, TcpProxy>();
    for (const node of nodes) {
      const proxy = await startTcpProxy(redis.port);
      proxies.set(node, proxy);
      await pointAt(node, proxy.url);
    }
    const first = await waitForOneLeader(nodes);
    const cutNode = first.leader;
    await startFixture(cutNode.home, 'web', 'forever.mjs');
    const running = await waitFor(async () => {
      const row = await appRow(cutNode.home, 'web');
      return row?.status === 'running' ? row : null;
    });

    // Cut the leader off: another node leads with a higher term, the cut one keeps supervising.
    await proxies.get(cutNode)?.cut();
    const others = nodes.filter((node) => node !== cutNode);
    const second = await waitForOneLeader(others, 15_000, first.term);
    await waitFor(async () => (await clusterStatus(cutNode))?.self.leader === false, { message: 'the cut-off leader still claims to lead' });
    process.kill(running.pid as number, 'SIGKILL');
    await waitFor(async () => {
      const row = await appRow(cutNode.home, 'web');
      return row?.status === 'running' && row.pid !== running.pid;
    }, { timeoutMs: 15_000, message: 'the cut-off node did not restart its crashed app' });
    expect((await clusterStatus(cutNode))?.redis).toBe('down');
    const offline = await waitFor(async () => (await eventsOf(second.leader, 'node_offline')).find((event) => event.data.node), { timeoutMs: 15_000 });
    expect(offline).toBeTruthy();

    // A command queued for it meanwhile runs once it is back.
    const queued = await owlJson<{ id: string }>(['fleet', 'restart', 'web', '--nodes', cutNode.alias, '--no-wait'], second.leader.home);
    const beforeHeal = (await appRow(cutNode.home, 'web'))?.pid;

    // Heal: it rejoins as a follower, is online again, and nobody leads twice.
    await proxies.get(cutNode)?.heal();
    await waitFor(async () => (await eventsOf(cutNode, 'fleet_command')).some((event) => event.data.id === queued.id && event.data.status === 'ok'), { timeoutMs: 15_000, message: 'the queued command did not run after the heal' });
    expect((await appRow(cutNode.home, 'web'))?.pid).not.toBe(beforeHeal);
    await waitFor(async () => (await clusterStatus(cutNode))?.redis === 'up', { timeoutMs: 15_000 });
    await waitFor(async () => (await owlJson<Array<{ status: string }>>(['cluster', 'nodes'], cutNode.home)).every((node) => node.status === 'online'), { timeoutMs: 15_000 });
    const healed = await waitForOneLeader(nodes, 15_000, first.term);
    expect((await eventsOf(cutNode, 'redis_down')).length).toBeGreaterThanOrEqual(1);
    expect((await eventsOf(cutNode, 'redis_up')).length).toBeGreaterThanOrEqual(1);

    // Redis stops and comes back empty: terms keep rising (each node remembers the highest term it saw).
    const downSince = Date.now();
    await redis.stop();
    // Summaries made while Redis is away (one per 5 s tick) are buffered: wait until each node holds one.
    for (const node of nodes) {
      await waitFor(async () => {
        const status = await clusterStatus(node);
        return status?.redis === 'down' && status.self.bufferedSummaries > 0;
      }, { timeoutMs: 20_000, message: `${node.alias} buffered no summary while Redis was down` });
    }
    await redis.restart();
    const upAt = Date.now();
    const reformed = await waitForOneLeader(nodes, 20_000, healed.term);
    expect(reformed.term).toBeGreaterThan(healed.term);
    const client = redis.client();
    const outageSummaries = await waitFor(async () => {
      const entries = await client.xrange('{owl:test}:summaries', '-', '+');
      const during = entries.map(([, flat]) => JSON.parse(flat[1] as string) as { nodeId: string; at: number }).filter((summary) => summary.at >= downSince && summary.at < upAt);
      return new Set(during.map((summary) => summary.nodeId)).size === 3 ? during : null;
    }, { timeoutMs: 30_000, message: 'summaries made during the outage never arrived' });
    expect(outageSummaries.length).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
