// A redis-server of the bench's own (ephemeral port, no persistence), an ioredis client, and
// owl daemons joined into one cluster. Everything started here carries the bench tag, so the
// context's cleanup finds it by pid even after an error.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { REPO } from './settings.mjs';
import { taggedEnv } from './tag.mjs';
import { waitFor } from './wait.mjs';

// ioredis is a dependency of the daemon package, resolved from there.
const requireFromDaemon = createRequire(`${REPO}packages/daemon/package.json`);
export const { Redis } = requireFromDaemon('ioredis');

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedis(root) {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore', env: taggedEnv(root) });
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  client.on('error', () => undefined);
  await waitFor('redis-server to answer', () => client.connect().then(() => true, () => false), { timeoutMs: 10_000, intervalMs: 50 });
  return {
    url: `redis://127.0.0.1:${port}`,
    client,
    stop: async () => {
      client.disconnect();
      child.kill('SIGKILL');
    },
  };
}

/** The cluster key of a home, as the daemon wrote it. */
export function clusterKeyOf(home) {
  return Buffer.from(readFileSync(path.join(home, 'keys', 'cluster.key'), 'utf8').trim(), 'base64url');
}

/** `owl cluster init` on the first tool, `owl cluster join` on the rest; lease and beats from `settings`. */
export async function formCluster(tools, redisUrl, name) {
  let token = '';
  for (const [index, tool] of tools.entries()) {
    await tool.startDaemon();
    if (index === 0) token = (await tool.run(['cluster', 'init', '--redis', redisUrl, '--name', name, '--alias', `b${index}`])).stdout.trim();
    else await tool.run(['cluster', 'join', token, '--alias', `b${index}`]);
  }
}

/** The holder of the lease ("<node>:<term>"), read straight from Redis (no CLI in the way). */
export async function leaseHolder(client, name) {
  return client.get(`{owl:${name}}:leader`);
}
