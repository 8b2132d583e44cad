import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FleetCommandRow } from '@owl/rpc';
import { appRow, startFixture } from '@owl/test-support/apps';
import { owlJson, readPid, runOwl, tempHome } from '@owl/test-support/owl';
import { startRedisCluster } from '@owl/test-support/redis-server';
import { waitForOneLeader, type TestNode } from '@owl/test-support/cluster-nodes';
import { waitFor } from '@owl/test-support/wait-for';

async function ok(args: string[], home: string): Promise<string> {
  const result = await runOwl(args, { home });
  if (result.code !== 0) throw new Error(`owl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

describe('a Redis Cluster as the cluster\'s Redis', () => {
  it('elects a leader, runs fleet commands and keeps every key in one hash slot', async () => {
    const redis = await startRedisCluster();
    const nodes: TestNode[] = [];
    let token = '';
    for (const alias of ['c1', 'c2']) {
      const home = tempHome('owl-rc-');
      await ok(['daemon', 'start'], home);
      if (alias === 'c1') token = (await ok(['cluster', 'init', '--redis', `redis://127.0.0.1:${redis.ports[0]}`, '--redis-cluster', '--name', 'rc', '--alias', alias], home)).trim();
      else await ok(['cluster', 'join', token, '--alias', alias], home);
      nodes.push({ home, alias, pid: () => readPid(path.join(home, 'daemon.pid')) });
    }
    const [c1, c2] = nodes as [TestNode, TestNode];
    await waitForOneLeader(nodes);
    await startFixture(c2.home, 'web', 'forever.mjs');
    const before = await waitFor(async () => {
      const row = await appRow(c2.home, 'web');
      return row?.status === 'running' ? row.pid : null;
    });
    await waitFor(async () => (await owlJson<Array<{ status: string }>>(['cluster', 'nodes'], c1.home)).filter((node) => node.status === 'online').length === 2);
    const result = await owlJson<{ rows: FleetCommandRow[] }>(['fleet', 'restart', 'web', '--nodes', 'c2'], c1.home);
    expect(result.rows.map((row) => [row.node, row.status])).toEqual([['c2', 'ok']]);
    expect((await appRow(c2.home, 'web'))?.pid).not.toBe(before);
    await waitFor(async () => (await owlJson<Array<{ name: string }>>(['fleet', 'ls'], c1.home)).some((app) => app.name === 'web'), { timeoutMs: 20_000 });

    // Every key sits in the slot of the hash tag {owl:rc}: one node holds them all.
    const slot = Number(await redis.nodeClient(redis.ports[0] as number).cluster('KEYSLOT', '{owl:rc}:leader'));
    const sizes = await Promise.all(redis.ports.map((port) => redis.nodeClient(port).dbsize()));
    expect(sizes.filter((size) => size > 0)).toHaveLength(1);
    const owner = redis.nodeClient(redis.ports[sizes.findIndex((size) => size > 0)] as number);
    expect(Number(await owner.cluster('COUNTKEYSINSLOT', slot))).toBe(sizes.reduce((sum, size) => sum + size, 0));
  }, 120_000);
});
