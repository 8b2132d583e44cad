import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FleetCommandRow } from '@owl/rpc';
import { appRow, startFixture } from '@owl/test-support/apps';
import { runOwl } from '@owl/test-support/owl';
import { startRedisServer, startTcpProxy } from '@owl/test-support/redis-server';
import { clusterStatus, mustRun, pointAt, startClusterNodes, waitForOneLeader, type TestNode } from '@owl/test-support/cluster-nodes';
import { waitFor } from '@owl/test-support/wait-for';

async function fleetCommandEvents(node: TestNode): Promise<Array<{ data: { id: string; status: string } }>> {
  const text = await readFile(path.join(node.home, 'audit.log'), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; data: { id: string; status: string } }).filter((line) => line.type === 'fleet_command');
}

describe('fleet results across a Redis outage', () => {
  it('a result made while the node is cut off from Redis is kept and delivered when it is back; the issuer sees it through its blocking read, whose connection then closes', async () => {
    const redis = await startRedisServer();
    const [n1, n2] = (await startClusterNodes(redis.url, 2, 'test')) as [TestNode, TestNode];
    const proxy = await startTcpProxy(redis.port);
    await pointAt(n1, proxy.url);
    await waitForOneLeader([n1, n2]);
    // An app that ignores SIGTERM: its stop lasts until the test kills it, so Redis can be cut in between.
    await startFixture(n1.home, 'stubborn', 'ignores-sigterm.mjs', [], ['--stop-timeout', '90s']);
    const running = await waitFor(async () => {
      const row = await appRow(n1.home, 'stubborn');
      return row?.status === 'running' ? row : null;
    }, { timeoutMs: 15_000 });
    const client = redis.client();
    const clientCount = async (): Promise<number> => String(await client.client('LIST')).split('\n').filter(Boolean).length;
    const baseline = await clientCount();

    const issued = runOwl(['fleet', 'stop', 'stubborn', '--nodes', 'n1', '--timeout', '90s', '--json'], { home: n2.home });
    await waitFor(async () => (await appRow(n1.home, 'stubborn'))?.status === 'stopping', { timeoutMs: 15_000, message: 'the fleet stop never reached n1' });
    // The issuing node waits on a connection of its own, blocked on the results stream.
    await waitFor(async () => (await clientCount()) === baseline + 1, { message: 'no dedicated connection for the wait' });

    await proxy.cut();
    await waitFor(async () => (await clusterStatus(n1))?.redis === 'down', { timeoutMs: 15_000, message: 'n1 never saw Redis go' });
    process.kill(running.pid as number, 'SIGKILL');
    const ran = await waitFor(async () => (await fleetCommandEvents(n1)).find((event) => event.data.status === 'ok'), { timeoutMs: 15_000, message: 'the stop never finished on n1' });
    // Run, but its result could not be written: nothing in the results stream yet.
    const results = async (): Promise<string[]> => (await client.xrange('{owl:test}:results', '-', '+')).map(([, flat]) => flat[1] as string);
    expect((await results()).filter((body) => body.includes(ran.data.id))).toEqual([]);

    await proxy.heal();
    const answer = await issued;
    expect(answer.code, answer.stderr).toBe(0);
    const parsed = JSON.parse(answer.stdout) as { id: string; rows: FleetCommandRow[] };
    expect(parsed.id).toBe(ran.data.id);
    expect(parsed.rows).toEqual([expect.objectContaining({ node: 'n1', status: 'ok' })]);
    // Delivered once, and the issuer's reading connection is gone once the wait ended.
    expect((await results()).filter((body) => body.includes(ran.data.id))).toHaveLength(1);
    await waitFor(async () => (await clientCount()) === baseline, { message: 'the blocking reader of the results was not closed' });
  }, 120_000);

  it('a node that leaves the cluster while it waits for results ends the wait at once and closes every Redis connection it had', async () => {
    const redis = await startRedisServer();
    const [n1, n2] = (await startClusterNodes(redis.url, 2, 'test')) as [TestNode, TestNode];
    await waitForOneLeader([n1, n2]);
    await mustRun(['daemon', 'stop'], n2.home);
    const client = redis.client();
    const clientCount = async (): Promise<number> => String(await client.client('LIST')).split('\n').filter(Boolean).length;
    // n1's three links (commands, blocking reads, pub/sub) and the test's own client.
    await waitFor(async () => (await clientCount()) === 4, { message: 'n2 did not let go of Redis' });
    const issued = runOwl(['fleet', 'restart', 'web', '--nodes', 'n2', '--timeout', '90s', '--json'], { home: n1.home });
    await waitFor(async () => (await clientCount()) === 5, { message: 'no dedicated connection for the wait' });
    await mustRun(['cluster', 'leave'], n1.home);
    const answer = await issued;
    expect(answer.code).toBe(1);
    const rows = (JSON.parse(answer.stdout) as { rows: FleetCommandRow[] }).rows;
    expect(rows).toEqual([expect.objectContaining({ node: 'n2', status: 'timeout', message: expect.stringContaining('it left the cluster or stopped') })]);
    await waitFor(async () => (await clientCount()) === 1, { message: 'connections left open after leaving the cluster' });
  }, 60_000);
});
