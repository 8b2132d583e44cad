import { OwlError } from '@owl/rpc';
import type { Handlers } from '@owl/rpc/server';
import type { clusterMethods } from '@owl/rpc/contract';
import type { ClusterSlot } from '../cluster/cluster-slot.ts';

type ClusterHandlers = Pick<Handlers, keyof typeof clusterMethods>;

export interface ClusterHandlerDeps {
  slot: ClusterSlot;
  home: string;
  configFile: string;
  keysDirectory: string;
  /** Re-reads config.json: a join or leave takes effect through it, without a restart. */
  reload(): Promise<unknown>;
}

function labelsOf(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((pair) => pair.split(/=(.*)/s, 2) as [string, string]));
}

/** Writes the cluster block and reloads; a reload that fails puts config.json back. */
async function applyBlock(deps: ClusterHandlerDeps, block: Record<string, unknown> | null): Promise<void> {
  const { writeClusterBlock, restoreConfig } = await import('../cluster/cluster-config-file.ts');
  const previous = await writeClusterBlock(deps.configFile, block);
  try {
    await deps.reload();
  } catch (error) {
    await restoreConfig(deps.configFile, previous);
    await deps.reload().catch(() => undefined);
    throw error;
  }
}

/** Installs `key` as keys/cluster.key for `work`; when the work fails, the previous key is put back. */
async function withKey(deps: ClusterHandlerDeps, key: Uint8Array, work: () => Promise<void>): Promise<void> {
  const identity = await import('../cluster/cluster-identity.ts');
  const previous = await identity.loadClusterKey(deps.keysDirectory, false).catch(() => null);
  await identity.writeClusterKey(deps.keysDirectory, key);
  try {
    await work();
  } catch (error) {
    if (previous) await identity.writeClusterKey(deps.keysDirectory, previous);
    throw error;
  }
}

function blockOf(redis: unknown, name: string, options: { alias?: string | undefined; labels: string[]; address?: string | undefined }): Record<string, unknown> {
  return { redis, name, ...(options.alias ? { alias: options.alias } : {}), labels: labelsOf(options.labels), ...(options.address ? { address: options.address } : {}) };
}

export function createClusterHandlers(deps: ClusterHandlerDeps): ClusterHandlers {
  return {
    'cluster.init': async (params) => {
      const [{ probeRedis }, identity, { encodeJoinToken }, { readClusterBlock }, { redisClusterFromUrl, sentinelFromUrl }] = await Promise.all([import('../cluster/probe-redis.ts'), import('../cluster/cluster-identity.ts'), import('../cluster/join-token.ts'), import('../cluster/cluster-config-file.ts'), import('../cluster/cluster-config.ts')]);
      if (params.redis.startsWith('redis+sentinel:')) {
        if (params.redisCluster) throw new OwlError('OWL_USAGE', '--redis-cluster takes the redis:// URL of one Redis Cluster node, not a Sentinel URL');
        if (sentinelFromUrl(params.redis) === null) throw new OwlError('OWL_USAGE', `--redis: expected redis+sentinel://[user:password@]host:port[,host:port...]/master, received "${params.redis.replace(/\/\/[^@/]*@/, '//***@')}"`);
      }
      const redis = params.redisCluster ? redisClusterFromUrl(params.redis) : params.redis;
      await probeRedis(redis);
      // Running init again for the same cluster keeps its key (the members hold it); any other cluster gets a key of its own.
      const current = await readClusterBlock(deps.configFile);
      const sameCluster = current !== null && current.name === params.name && JSON.stringify(current.redis) === JSON.stringify(redis);
      const key = sameCluster ? await identity.loadClusterKey(deps.keysDirectory, true) : identity.newClusterKey();
      await withKey(deps, key, () => applyBlock(deps, blockOf(redis, params.name, params)));
      return { name: params.name, nodeId: await identity.loadNodeId(deps.home), token: encodeJoinToken({ redis, name: params.name, key }) };
    },
    'cluster.join': async (params) => {
      const [{ probeRedis }, identity, { decodeJoinToken }] = await Promise.all([import('../cluster/probe-redis.ts'), import('../cluster/cluster-identity.ts'), import('../cluster/join-token.ts')]);
      const token = decodeJoinToken(params.token);
      await probeRedis(token.redis);
      await withKey(deps, token.key, () => applyBlock(deps, blockOf(token.redis, token.name, params)));
      return { name: token.name, nodeId: await identity.loadNodeId(deps.home) };
    },
    'cluster.leave': async () => {
      const current = deps.slot.current;
      await current?.forget();
      const { readClusterBlock } = await import('../cluster/cluster-config-file.ts');
      const block = await readClusterBlock(deps.configFile);
      if (block !== null) await applyBlock(deps, null);
      return { left: current?.name ?? (typeof block?.name === 'string' ? block.name : null) };
    },
    'cluster.status': () => deps.slot.require().status(),
    'cluster.nodes': () => deps.slot.require().nodes(),
    'cluster.stepDown': () => deps.slot.require().stepDown(),
    'fleet.ls': () => deps.slot.require().fleetApps(),
    'fleet.metrics': ({ since }) => deps.slot.require().fleetMetrics(since),
    'fleet.run': (params, context) => deps.slot.require().runFleet({ ...params, subject: context.session.subject }),
    'fleet.logs': (params) => deps.slot.require().fleetLogs(params),
  };
}
