import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FleetCommandRow } from '@owl/rpc';
import { appRow, startFixture } from '@owl/test-support/apps';
import { runOwl } from '@owl/test-support/owl';
import { startRedisServer } from '@owl/test-support/redis-server';
import { mustRun, owlJson, startClusterNodes, startDaemon, waitForOneLeader, type TestNode } from '@owl/test-support/cluster-nodes';
import { waitFor } from '@owl/test-support/wait-for';

interface AuditLine {
  type: string;
  data: Record<string, unknown>;
}

async function auditOf(node: TestNode, type: string): Promise<AuditLine[]> {
  const text = await readFile(path.join(node.home, 'audit.log'), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditLine).filter((line) => line.type === type);
}

async function pidOf(node: TestNode): Promise<number | null> {
  return (await appRow(node.home, 'web'))?.pid ?? null;
}

async function fleet(node: TestNode, args: string[]): Promise<{ code: number; rows: FleetCommandRow[]; id: string; stderr: string }> {
  const result = await runOwl(['fleet', ...args, '--json'], { home: node.home });
  const parsed = result.stdout ? (JSON.parse(result.stdout) as { id: string; rows: FleetCommandRow[] }) : { id: '', rows: [] };
  return { code: result.code, ...parsed, stderr: result.stderr };
}

describe('fleet commands', () => {
  it('reach exactly the chosen nodes once each, run on return unless expired, and refuse unsigned entries everywhere', async () => {
    const redis = await startRedisServer();
    const nodes = await startClusterNodes(redis.url, 3, 'test');
    const [n1, n2, n3] = nodes as [TestNode, TestNode, TestNode];
    for (const node of nodes) await startFixture(node.home, 'web', 'forever.mjs');
    for (const node of nodes) await waitFor(async () => (await appRow(node.home, 'web'))?.status === 'running', { timeoutMs: 15_000 });
    await waitForOneLeader(nodes);
    await waitFor(async () => (await owlJson<unknown[]>(['cluster', 'nodes'], n1.home)).length === 3, { message: 'three nodes never listed' });

    // Bad input: a clear message and the right exit code, nothing queued.
    const noTarget = await runOwl(['fleet', 'restart', 'web'], { home: n1.home });
    expect([noTarget.code, noTarget.stderr]).toEqual([2, 'owl: choose the nodes: --nodes a,b, --label k=v or --all\n']);
    const unknown = await runOwl(['fleet', 'restart', 'web', '--nodes', 'n1,nope'], { home: n1.home });
    expect([unknown.code, unknown.stderr]).toEqual([5, 'owl: no node named "nope" in the cluster (see owl cluster nodes)\n']);
    const badToken = await runOwl(['cluster', 'join', 'hello'], { home: n1.home });
    expect([badToken.code, badToken.stderr]).toEqual([2, 'owl: token: not an owl join token (expected it to start with owlj1.); get one from owl cluster init on a node of the cluster\n']);
    const badUrl = await runOwl(['cluster', 'init', '--redis', 'http://x'], { home: n1.home });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('expected a redis:// or rediss:// URL');

    // Chosen nodes only, once each.
    const before = await Promise.all(nodes.map(pidOf));
    const restart = await fleet(n2, ['restart', 'web', '--nodes', 'n1,n3']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.rows.map((row) => [row.node, row.status]).sort()).toEqual([['n1', 'ok'], ['n3', 'ok']]);
    const after = await Promise.all(nodes.map(pidOf));
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
    // The issuing node's audit log records the command, the executing nodes' record its run.
    expect((await auditOf(n2, 'fleet_command_issued')).map((line) => line.data.id)).toEqual([restart.id]);
    expect((await auditOf(n2, 'operator')).filter((line) => line.data.method === 'fleet.run').map((line) => [line.data.target, line.data.role])).toEqual([['web', 'admin']]);
    for (const node of [n1, n3]) expect((await auditOf(node, 'fleet_command')).filter((line) => line.data.id === restart.id)).toHaveLength(1);
    expect(await auditOf(n2, 'fleet_command')).toEqual([]);

    // A restarted node does not run what it already ran.
    await mustRun(['daemon', 'stop'], n1.home);
    await startDaemon(n1);
    await waitFor(async () => (await owlJson<{ redis: string }>(['cluster', 'status'], n1.home)).redis === 'up');
    const label = await fleet(n1, ['restart', 'web', '--label', 'slot=0']);
    expect(label.rows.map((row) => row.node).sort()).toEqual(['n1', 'n3']);
    expect((await auditOf(n1, 'fleet_command')).filter((line) => line.data.id === restart.id)).toHaveLength(1);

    // An offline node: the wait times out (exit 1), and the node runs it when it returns.
    const offlinePid = await pidOf(n2);
    await mustRun(['daemon', 'stop'], n2.home);
    const queued = await fleet(n1, ['restart', 'web', '--nodes', 'n2', '--timeout', '1s']);
    expect(queued.code).toBe(1);
    expect(queued.rows).toEqual([expect.objectContaining({ node: 'n2', status: 'timeout' })]);
    // And one that expires before the node returns never runs.
    const expiring = await fleet(n1, ['stop', 'web', '--nodes', 'n2', '--ttl', '300ms', '--no-wait']);
    expect(expiring.rows).toEqual([expect.objectContaining({ node: 'n2', status: 'queued' })]);
    const issuedAt = Date.now();
    await waitFor(() => Date.now() > issuedAt + 400, { message: 'clock' });
    await startDaemon(n2);
    const ran = await waitFor(async () => {
      const lines = (await auditOf(n2, 'fleet_command')).filter((line) => line.data.id === queued.id || line.data.id === expiring.id);
      return lines.length === 2 ? lines : null;
    }, { timeoutMs: 15_000 });
    expect(ran.map((line) => [line.data.id, line.data.status])).toEqual([
      [queued.id, 'ok'],
      [expiring.id, 'expired'],
    ]);
    const back = await waitFor(async () => (await appRow(n2.home, 'web'))?.status === 'running' && pidOf(n2));
    expect(back).not.toBe(offlinePid);

    // Entries written straight into Redis without the key: refused on every node, reported.
    const client = redis.client();
    const ids = (await owlJson<Array<{ id: string }>>(['cluster', 'nodes'], n1.home)).map((node) => node.id);
    const pids = await Promise.all(nodes.map(pidOf));
    for (const id of ids) {
      await client.xadd(`{owl:test}:cmd:${id}`, '*', 'body', JSON.stringify({ id: 'evil', nodeId: id, action: 'stop', app: 'web', issuedBy: { node: 'x', subject: 'x' }, issuedAt: Date.now(), expiresAt: Date.now() + 60_000 }));
      await client.xadd(`{owl:test}:cmd:${id}`, '*', 'body', JSON.stringify({ id: 'evil2', nodeId: id, action: 'stop', app: 'web' }), 'sig', 'AAAA');
    }
    for (const node of nodes) {
      const forged = await waitFor(async () => {
        const lines = await auditOf(node, 'cluster_forged');
        return lines.length >= 2 ? lines : null;
      });
      expect(forged.filter((line) => line.data.source === 'fleet command').map((line) => line.data.reason)).toEqual(['no signature', 'signature does not match the cluster key']);
    }
    expect(await client.xlen('{owl:test}:forged')).toBeGreaterThanOrEqual(6);
    expect(await Promise.all(nodes.map(pidOf))).toEqual(pids);

    // A heartbeat record written without the key: not a live node, reported (once) by the leader.
    const { leader } = await waitForOneLeader(nodes);
    await client.set('{owl:test}:node:intruder', JSON.stringify({ body: '{"id":"intruder"}', sig: 'AAAA' }), 'PX', 60_000);
    await client.zadd('{owl:test}:nodes', Date.now(), 'intruder');
    await waitFor(async () => (await auditOf(leader, 'cluster_forged')).some((line) => line.data.source === 'heartbeat' && line.data.node === 'intruder'), { timeoutMs: 15_000 });
    const listed = await owlJson<Array<{ id: string; status: string }>>(['cluster', 'nodes'], n1.home);
    expect(listed.find((node) => node.id === 'intruder')?.status).toBe('offline');
    expect((await auditOf(leader, 'cluster_forged')).filter((line) => line.data.source === 'heartbeat')).toHaveLength(1);
  }, 180_000);
});
