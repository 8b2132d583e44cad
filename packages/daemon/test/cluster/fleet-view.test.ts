import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterNode, ClusterStatus } from '@owl/rpc';
import { startFixture } from '@owl/test-support/apps';
import { runOwl } from '@owl/test-support/owl';
import { tcpPlaneOf } from '@owl/test-support/tcp';
import { issueNodeToken } from '../../src/cluster/node-token.ts';
import { startRedisServer } from '@owl/test-support/redis-server';
import { mustRun, owlJson, startClusterNodes, startDaemon, waitForOneLeader, type TestNode } from '@owl/test-support/cluster-nodes';
import { waitFor } from '@owl/test-support/wait-for';

async function auditTypes(node: TestNode): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const text = await readFile(path.join(node.home, 'audit.log'), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });
}

describe('fleet view', () => {
  it('any node shows the cluster status, nodes, every app with its node and the fleet history; liveness changes are events once', async () => {
    const redis = await startRedisServer();
    const nodes = await startClusterNodes(redis.url, 3, 'test', ['--tcp', '127.0.0.1:0']);
    const [n1, n2, n3] = nodes as [TestNode, TestNode, TestNode];
    await startFixture(n1.home, 'api', 'forever.mjs');
    await startFixture(n3.home, 'worker', 'forever.mjs');
    const { leader, term } = await waitForOneLeader(nodes);

    const listed = await waitFor(async () => {
      const apps = await owlJson<Array<{ node: string; name: string; status: string }>>(['fleet', 'ls'], n2.home);
      const running = apps.filter((app) => app.status === 'running').map((app) => `${app.node}/${app.name}`).sort();
      return running.length === 2 ? running : null;
    }, { timeoutMs: 20_000, message: 'fleet ls never showed both apps running' });
    expect(listed).toEqual(['n1/api', 'n3/worker']);

    const status = await owlJson<ClusterStatus>(['cluster', 'status'], n2.home);
    expect(status).toMatchObject({ name: 'test', alias: 'n2', redis: 'up', leader: { alias: leader.alias, term }, nodes: { online: 3, offline: 0 }, apps: { total: 2, running: 2 } });
    const rows = await owlJson<ClusterNode[]>(['cluster', 'nodes'], n3.home);
    expect(rows.map((node) => [node.alias, node.status, node.leader, node.labels.slot]).sort()).toEqual([
      ['n1', 'online', leader === n1, '0'],
      ['n2', 'online', leader === n2, '1'],
      ['n3', 'online', leader === n3, '0'],
    ]);
    expect(rows.every((node) => node.host !== null && node.host.memoryTotal > 0)).toBe(true);

    const points = await waitFor(async () => {
      const history = await owlJson<Array<{ node: string; appsRunning: number }>>(['fleet', 'metrics', '--since', '10m'], n1.home);
      // The history's minute holds each node's newest sample: wait for one taken after the app ran.
      return new Set(history.map((point) => point.node)).size === 3 && history.some((point) => point.node === 'n1' && point.appsRunning === 1) ? history : null;
    }, { timeoutMs: 20_000 });
    expect(points.filter((point) => point.node === 'n2').every((point) => point.appsRunning === 0)).toBe(true);
    // The leader's /metrics carries fleet series labelled by node (read here with a node token); followers' do not.
    const key = new Uint8Array(Buffer.from((await readFile(path.join(n1.home, 'keys', 'cluster.key'), 'utf8')).trim(), 'base64url'));
    const token = await issueNodeToken(key, 'test', 'probe');
    const scrape = async (node: TestNode): Promise<string> => {
      const response = await fetch(`http://${(await tcpPlaneOf(node.home)).address}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return response.text();
    };
    const series = await waitFor(async () => {
      const text = await scrape(leader);
      return /owl_fleet_node_apps_running\{node="[0-9a-f]+",alias="n1"\} 1/.test(text) ? text : null;
    }, { timeoutMs: 15_000 });
    for (const alias of ['n1', 'n2', 'n3']) expect(series).toMatch(new RegExp(`owl_fleet_node_up\\{node="[0-9a-f]+",alias="${alias}"\\} 1`));
    expect(series).toContain(`owl_fleet_leader_term ${term}`);
    const follower = nodes.find((node) => node !== leader) as TestNode;
    expect(await scrape(follower)).not.toMatch(/^owl_fleet_node_up\{/m);

    const table = await runOwl(['cluster', 'status'], { home: n1.home });
    expect(table.stdout).toContain(`leader    ${leader.alias} (term ${term})`);

    // A node stops: the leader reports it offline once, and online once when it returns.
    await mustRun(['daemon', 'stop'], follower.home);
    const followerId = rows.find((row) => row.alias === follower.alias)?.id;
    await waitFor(async () => (await auditTypes(leader)).some((event) => event.type === 'node_offline' && event.data.node === followerId), { timeoutMs: 20_000 });
    await startDaemon(follower);
    await waitFor(async () => (await auditTypes(leader)).filter((event) => event.type === 'node_online' && event.data.node === followerId).length === 2, { timeoutMs: 20_000 });
    const changes = (await auditTypes(leader)).filter((event) => (event.type === 'node_offline' || event.type === 'node_online') && event.data.node === followerId);
    expect(changes.map((event) => event.type)).toEqual(['node_online', 'node_offline', 'node_online']);

    // A daemon in no cluster answers cluster calls with a clear usage error.
    await mustRun(['cluster', 'leave'], n3.home);
    const left = await runOwl(['cluster', 'status'], { home: n3.home });
    expect(left.code).toBe(2);
    expect(left.stderr).toContain('this daemon is not in a cluster');
    await waitFor(async () => (await owlJson<ClusterNode[]>(['cluster', 'nodes'], n1.home)).length === 2);
  }, 180_000);
});
