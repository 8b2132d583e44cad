import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { freePort } from './free-port.ts';
import { runFile } from './run-file.ts';
import { waitFor } from './wait-for.ts';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** A client for the test's own reads and (forged) writes. */
  client(): Redis;
  /** Stops the server by its pid (its data is gone: no persistence). */
  stop(): Promise<void>;
  /** Starts an empty server on the same port. */
  restart(): Promise<void>;
}

/** A real redis-server on an ephemeral port, without persistence, stopped by pid when the test ends. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];
  const launch = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    await waitFor(async () => probe.connect().then(() => probe.ping(), () => false).catch(() => false), { timeoutMs: 10_000, intervalMs: 50, message: 'redis-server did not answer' });
    probe.disconnect();
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await launch();
  onTestFinished(async () => {
    for (const client of clients) client.disconnect();
    await stop();
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client: () => {
      const client = new Redis({ port, host: '127.0.0.1' });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    stop,
    restart: launch,
  };
}

export interface TcpProxy {
  readonly url: string;
  /** Drops every connection and refuses new ones. */
  cut(): Promise<void>;
  heal(): Promise<void>;
}

/** A TCP proxy the test owns, in front of Redis: cutting it isolates one node. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server = createServer((socket) => {
        const upstream = createConnection(targetPort, '127.0.0.1');
        sockets.add(socket);
        sockets.add(upstream);
        socket.pipe(upstream).pipe(socket);
        for (const end of [socket, upstream]) {
          end.on('error', () => undefined);
          end.on('close', () => {
            sockets.delete(end);
            socket.destroy();
            upstream.destroy();
          });
        }
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  const cut = async (): Promise<void> => {
    await new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    server = undefined;
  };
  await listen();
  onTestFinished(cut);
  return { url: `redis://127.0.0.1:${port}`, cut, heal: listen };
}

export interface RedisClusterServers {
  readonly ports: readonly number[];
  /** A plain client on one node (for CLUSTER / DBSIZE reads). */
  nodeClient(port: number): Redis;
}

/** Three redis-server nodes in cluster mode (no replicas, no persistence), joined with redis-cli, stopped by pid. */
export async function startRedisCluster(): Promise<RedisClusterServers> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const directory = mkdtempSync(join(tmpdir(), 'owl-redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const children = ports.map((port) =>
    spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(directory, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no', '--dir', directory], { stdio: 'ignore' }),
  );
  const clients: Redis[] = [];
  onTestFinished(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGKILL'))))));
    rmSync(directory, { recursive: true, force: true });
  });
  const nodeClient = (port: number): Redis => {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: false, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const probes = ports.map(nodeClient);
  await waitFor(async () => (await Promise.all(probes.map((client) => client.ping().catch(() => null)))).every((reply) => reply === 'PONG'), { message: 'redis cluster nodes did not answer' });
  const created = await runFile('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  await waitFor(async () => (await Promise.all(probes.map((client) => client.cluster('INFO').catch(() => '')))).every((info) => String(info).includes('cluster_state:ok')), { timeoutMs: 20_000, message: 'redis cluster never reached cluster_state:ok' });
  return { ports, nodeClient };
}
