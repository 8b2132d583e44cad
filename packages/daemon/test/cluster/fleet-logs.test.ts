import { createServer, type Socket } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { FleetLogsRow } from '@owl/rpc';
import { startFixture } from '@owl/test-support/apps';
import { readPid, runOwl, tempHome } from '@owl/test-support/owl';
import { createToken, startTcpDaemon, writeDaemonConfig } from '@owl/test-support/tcp';
import { startRedisServer } from '@owl/test-support/redis-server';
import { mustRun, owlJson, waitForOneLeader, type TestNode } from '@owl/test-support/cluster-nodes';
import { waitFor } from '@owl/test-support/wait-for';

/** A port that accepts connections and never answers: a peer that hangs. */
async function silentListener(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function fleetLogs(node: TestNode, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; rows: FleetLogsRow[]; stderr: string; stdout: string }> {
  const json = await runOwl(['fleet', 'logs', ...args, '--json'], { home: node.home, env });
  return { code: json.code, rows: json.stdout ? (JSON.parse(json.stdout) as FleetLogsRow[]) : [], stderr: json.stderr, stdout: json.stdout };
}

describe('fleet logs: daemon-to-daemon reads over the TCP plane with node tokens', () => {
  it('reads each chosen node (plain and TLS planes, the local one in place), reports nodes without an address or that hang, and checks the caller\'s role where it is issued', async () => {
    const redis = await startRedisServer();
    // n1: plain TCP plane; n2: TLS with a self-signed certificate (pinned by the fingerprint it signs into its identity); n3: no TCP plane.
    const homes = [tempHome('owl-cluster-'), tempHome('owl-cluster-'), tempHome('owl-cluster-')] as const;
    writeDaemonConfig(homes[1], { tls: true });
    const plain = await startTcpDaemon(homes[0]);
    const tls = await startTcpDaemon(homes[1], []);
    expect([plain.tls, tls.tls]).toEqual([false, true]);
    await mustRun(['daemon', 'start'], homes[2]);
    const token = (await mustRun(['cluster', 'init', '--redis', redis.url, '--name', 'test', '--alias', 'n1', '--address', plain.address], homes[0])).trim();
    await mustRun(['cluster', 'join', token, '--alias', 'n2', '--address', tls.address], homes[1]);
    await mustRun(['cluster', 'join', token, '--alias', 'n3'], homes[2]);
    const nodes = homes.map((home, index): TestNode => ({ home, alias: `n${index + 1}`, pid: () => readPid(path.join(home, 'daemon.pid')) }));
    const [n1, , n3] = nodes as [TestNode, TestNode, TestNode];
    for (const node of nodes) await startFixture(node.home, 'web', 'numbered-lines.mjs', ['20']);
    await waitForOneLeader(nodes);
    await waitFor(async () => (await owlJson<Array<{ status: string }>>(['cluster', 'nodes'], n1.home)).filter((node) => node.status === 'online').length === 3, { timeoutMs: 15_000 });

    // From n3 (which serves no TCP plane itself): n1 over ws, n2 over wss, n3 read in place.
    const all = await waitFor(async () => {
      const result = await fleetLogs(n3, ['web', '--all', '-n', '4']);
      return result.code === 0 && result.rows.every((row) => row.lines.length === 4) ? result : null;
    }, { timeoutMs: 15_000, message: 'fleet logs never read four lines on every node' });
    expect(all.rows.map((row) => [row.node, row.status]).sort()).toEqual([['n1', 'ok'], ['n2', 'ok'], ['n3', 'ok']]);
    for (const row of all.rows) expect(row.lines.every((line) => line.app === 'web' && /^(tick|tock) \d+$/.test(line.line))).toBe(true);

    // Human output: every line prefixed by its node. A node without an address is a row saying so, and exit 1.
    const human = await runOwl(['fleet', 'logs', 'web', '--nodes', 'n2,n3', '-n', '2'], { home: n1.home });
    expect(human.code).toBe(1);
    expect(human.stdout.split('\n').filter(Boolean).map((line) => line.split('| ')[0])).toEqual(['n2', 'n2']);
    expect(human.stderr).toBe('owl: logs web: 1 of 2 nodes could not be read (n3: the node has no TCP plane address (join with --address host:port))\n');

    // A peer that accepts but never answers is reported unreachable, not waited on forever.
    const config = JSON.parse(await readFile(path.join(n3.home, 'config.json'), 'utf8')) as { cluster: { address: string | null } };
    config.cluster.address = await silentListener();
    await writeFile(path.join(n3.home, 'config.json'), JSON.stringify(config));
    await mustRun(['daemon', 'reload'], n3.home);
    const hung = await waitFor(async () => {
      const rows = (await fleetLogs(n1, ['web', '--nodes', 'n1,n3', '-n', '1'])).rows;
      return rows.find((row) => row.node === 'n3')?.status === 'unreachable' ? rows : null;
    }, { timeoutMs: 30_000, message: 'the hanging peer was never reported unreachable' });
    expect(hung.find((row) => row.node === 'n3')?.message).toContain('did not answer');
    expect(hung.find((row) => row.node === 'n1')?.status).toBe('ok');

    // An app a peer does not have: that node's row says so.
    const missing = await fleetLogs(n1, ['nope', '--nodes', 'n2']);
    expect(missing.code).toBe(1);
    expect(missing.rows).toEqual([expect.objectContaining({ node: 'n2', status: 'failed', message: expect.stringContaining('nope') })]);

    // The role is checked where the read is issued: a viewer token on n1's TCP plane may read the fleet's logs.
    const viewer = await createToken(n1.home, 'viewer');
    const remote = await fleetLogs(n1, ['web', '--nodes', 'n2', '-n', '1'], { OWL_URL: plain.url, OWL_TOKEN: viewer.token });
    expect([remote.code, remote.rows.map((row) => row.status)], remote.stderr).toEqual([0, ['ok']]);

    // Bad input: clear messages and usage exit codes.
    const noTarget = await runOwl(['fleet', 'logs', 'web'], { home: n1.home });
    expect([noTarget.code, noTarget.stderr]).toEqual([2, 'owl: choose the nodes: --nodes a,b, --label k=v or --all\n']);
    const badLines = await runOwl(['fleet', 'logs', 'web', '--all', '-n', '0'], { home: n1.home });
    expect(badLines.code).toBe(2);
    expect(badLines.stderr).toContain('--lines: expected a whole number from 1 to 1000, received "0"');
    const unknown = await runOwl(['fleet', 'logs', 'web', '--nodes', 'nope'], { home: n1.home });
    expect([unknown.code, unknown.stderr]).toEqual([5, 'owl: no node named "nope" in the cluster (see owl cluster nodes)\n']);
  }, 120_000);
});
