import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { freePort } from './free-port.ts';
import { waitFor } from './wait-for.ts';

export const SENTINEL_MASTER = 'owlmaster';

export interface SentinelGroup {
  /** `redis+sentinel://127.0.0.1:a,127.0.0.1:b,127.0.0.1:c/owlmaster` */
  readonly url: string;
  readonly masterPort: number;
  readonly replicaPort: number;
  /** The port the sentinels name as master now. */
  currentMasterPort(): Promise<number>;
  /** kill -9 of the master redis-server: the sentinels promote the replica. */
  killMaster(): Promise<void>;
  /** A plain client on one data node (ROLE, reads). */
  nodeClient(port: number): Redis;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * A Sentinel-managed Redis: a master, one replica and three sentinels (quorum 2), all real
 * redis-server processes on ephemeral loopback ports, no persistence, stopped by pid. Resolves
 * once the sentinels know the replica and each other, so a failover can happen.
 */
export async function startSentinelGroup(): Promise<SentinelGroup> {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-sentinel-'));
  const children: ChildProcess[] = [];
  const clients: Redis[] = [];
  onTestFinished(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(children.map(stopChild));
    rmSync(directory, { recursive: true, force: true });
  });
  const dataArgs = (port: number): string[] => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', directory, '--dbfilename', `dump-${port}.rdb`];
  const masterPort = await freePort();
  const replicaPort = await freePort();
  const master = spawn('redis-server', dataArgs(masterPort), { stdio: 'ignore' });
  children.push(master, spawn('redis-server', [...dataArgs(replicaPort), '--replicaof', '127.0.0.1', String(masterPort)], { stdio: 'ignore' }));
  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  for (const port of sentinelPorts) {
    // Sentinel rewrites its own config file: each gets a writable one.
    const file = path.join(directory, `sentinel-${port}.conf`);
    writeFileSync(file, [`port ${port}`, 'bind 127.0.0.1', `dir ${directory}`, `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${masterPort} 2`, `sentinel down-after-milliseconds ${SENTINEL_MASTER} 1000`, `sentinel failover-timeout ${SENTINEL_MASTER} 10000`, ''].join('\n'));
    children.push(spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' }));
  }
  const nodeClient = (port: number): Redis => {
    const client = new Redis({ port, host: '127.0.0.1', retryStrategy: () => 100, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const sentinels = sentinelPorts.map(nodeClient);
  const ask = async (...args: string[]): Promise<unknown> => sentinels[0]?.call('SENTINEL', ...args);
  await waitFor(async () => {
    const replicas = (await ask('REPLICAS', SENTINEL_MASTER).catch(() => [])) as string[][];
    const replicaReady = replicas.some((fields) => fields.includes(String(replicaPort)) && fields[fields.indexOf('flags') + 1] === 'slave' && fields[fields.indexOf('master-link-status') + 1] === 'ok');
    const peers = await Promise.all(sentinels.map((client) => client.call('SENTINEL', 'SENTINELS', SENTINEL_MASTER).catch(() => []) as Promise<unknown[]>));
    return replicaReady && peers.every((known) => known.length === 2);
  }, { timeoutMs: 30_000, intervalMs: 200, message: 'the sentinels never saw the replica and each other' });
  return {
    url: `redis+sentinel://${sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',')}/${SENTINEL_MASTER}`,
    masterPort,
    replicaPort,
    currentMasterPort: async () => Number(((await ask('GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER)) as string[])[1]),
    killMaster: () => stopChild(master),
    nodeClient,
  };
}
