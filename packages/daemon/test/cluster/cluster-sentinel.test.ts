import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FleetCommandRow } from '@owl/rpc';
import { appRow, startFixture } from '@owl/test-support/apps';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { startSentinelGroup } from '@owl/test-support/redis-sentinel';
import { clusterStatus, mustRun, owlJson, startClusterNodes, waitForOneLeader, type TestNode } from '@owl/test-support/cluster-nodes';
import { waitFor } from '@owl/test-support/wait-for';

async function restartAll(from: TestNode): Promise<FleetCommandRow[]> {
  const result = await runOwl(['fleet', 'restart', 'web', '--all', '--timeout', '10s', '--json'], { home: from.home });
  if (result.code !== 0) throw new Error(`fleet restart exited ${result.code}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { rows: FleetCommandRow[] }).rows;
}

describe('cluster through Redis Sentinel', () => {
  it('joins through a redis+sentinel:// URL, elects a leader and runs fleet commands; after the master is killed and the replica promoted, the cluster re-forms with a higher term', async () => {
    const group = await startSentinelGroup();
    const nodes = await startClusterNodes(group.url, 3, 'test');
    // The URL is kept as written in config.json; every node reached Redis through the sentinels.
    const config = JSON.parse(await readFile(path.join(nodes[0]?.home as string, 'config.json'), 'utf8')) as { cluster: { redis: unknown } };
    expect(config.cluster.redis).toBe(group.url);
    for (const node of nodes) await startFixture(node.home, 'web', 'forever.mjs');
    const first = await waitForOneLeader(nodes, 20_000);
    await waitFor(async () => (await owlJson<Array<{ status: string }>>(['cluster', 'nodes'], nodes[1]?.home as string)).filter((node) => node.status === 'online').length === 3, { timeoutMs: 15_000 });
    for (const node of nodes) await waitFor(async () => (await appRow(node.home, 'web'))?.status === 'running', { timeoutMs: 15_000 });
    expect((await restartAll(nodes[2] as TestNode)).map((row) => [row.node, row.status]).sort()).toEqual([['n1', 'ok'], ['n2', 'ok'], ['n3', 'ok']]);
    // Everything went to the master; the replica holds a copy.
    expect(await group.nodeClient(group.masterPort).get('{owl:test}:term')).toBe(String(first.term));

    // Failover: the master dies, the sentinels promote the replica, ioredis finds it through them.
    await group.killMaster();
    await waitFor(async () => (await group.currentMasterPort().catch(() => 0)) === group.replicaPort, { timeoutMs: 30_000, intervalMs: 200, message: 'the sentinels never promoted the replica' });
    const reformed = await waitForOneLeader(nodes, 30_000, first.term);
    expect(reformed.term).toBeGreaterThan(first.term);
    for (const node of nodes) await waitFor(async () => (await clusterStatus(node))?.redis === 'up', { timeoutMs: 15_000 });
    expect(((await group.nodeClient(group.replicaPort).call('ROLE')) as unknown[])[0]).toBe('master');
    const rows = await waitFor(async () => {
      const result = await restartAll(nodes[0] as TestNode).catch(() => null);
      return result?.every((row) => row.status === 'ok') ? result : null;
    }, { timeoutMs: 45_000, message: 'fleet restart never succeeded on every node after the failover' });
    expect(rows.map((row) => row.node).sort()).toEqual(['n1', 'n2', 'n3']);
  }, 180_000);

  it('refuses a malformed Sentinel URL with a usage error', async () => {
    const home = tempHome('owl-cluster-');
    await mustRun(['daemon', 'start'], home);
    const result = await runOwl(['cluster', 'init', '--redis', 'redis+sentinel://127.0.0.1:notaport/owlmaster'], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--redis: expected redis+sentinel://[user:password@]host:port[,host:port...]/master');
  });
});
