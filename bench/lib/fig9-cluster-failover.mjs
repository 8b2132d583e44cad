// Figure 9: failover of a 3-daemon cluster (default lease 3 s, renew every 1 s). kill -9 the
// leader and time until another node holds the lease; `owl cluster step-down` likewise. The
// lease key is watched in Redis directly every 5 ms, so CLI start-up is not in the figure.
import { formCluster, leaseHolder, startRedis } from './cluster-redis.mjs';
import { isAlive, killPid } from './processes.mjs';
import { SETTINGS } from './settings.mjs';
import { percentile } from './stats.mjs';
import { sleep, waitFor } from './wait.mjs';

const NAME = 'bench';
// The cluster's default lease.
const LEASE_MS = 3_000;

async function nextHolder(client, previous) {
  let holder = previous;
  await waitFor('a new leader', async () => {
    holder = await leaseHolder(client, NAME);
    return holder !== null && holder !== previous;
  }, { timeoutMs: 30_000, intervalMs: 5 });
  return holder;
}

function toolOf(tools, holder) {
  return tools.find((tool) => holder.startsWith(`${tool.nodeId}:`));
}

export async function runClusterFailover(context, results, log) {
  const redis = await startRedis(context.root);
  const tools = [0, 1, 2].map(() => context.newTools().owl);
  try {
    await formCluster(tools, redis.url, NAME);
    for (const tool of tools) tool.nodeId = JSON.parse((await tool.run(['cluster', 'status', '--json'])).stdout).nodeId;
    let holder = await nextHolder(redis.client, null);
    const kills = [];
    for (let round = 0; round < SETTINGS.clusterKills; round += 1) {
      const victim = toolOf(tools, holder);
      const pid = victim.daemonPid();
      const killedAt = performance.now();
      killPid(pid);
      holder = await nextHolder(redis.client, holder);
      kills.push(performance.now() - killedAt);
      log(`  failover ${round + 1}/${SETTINGS.clusterKills}: ${kills.at(-1).toFixed(0)} ms, new term ${holder.split(':')[1]}`);
      await waitFor(`killed daemon ${pid} gone`, () => !isAlive(pid), { timeoutMs: 10_000 });
      await victim.startDaemon();
    }
    results.add('cluster.failover.p50', 'owl', percentile(kills, 50));
    results.add('cluster.failover.p95', 'owl', percentile(kills, 95));
    const stepDowns = [];
    const handovers = [];
    for (let round = 0; round < SETTINGS.clusterStepDowns; round += 1) {
      // A node that stepped down sits out one lease (3 s): space the rounds so that, as after a
      // single step-down or daemon stop, every other node is free to take over.
      await sleep(LEASE_MS + 100);
      const leader = toolOf(tools, holder);
      const askedAt = performance.now();
      const asked = leader.run(['cluster', 'step-down']);
      const previous = holder;
      // From the release (the lease seen empty, or else the last poll that still saw the old
      // holder: an upper bound) to the first poll that sees another node holding it.
      let releasedAt = null;
      let oldSeenAt = askedAt;
      await waitFor('a new leader after the step-down', async () => {
        holder = await leaseHolder(redis.client, NAME);
        if (holder === previous) oldSeenAt = performance.now();
        if (holder === null) releasedAt ??= performance.now();
        return holder !== null && holder !== previous;
      }, { timeoutMs: 30_000, intervalMs: 2 });
      const electedAt = performance.now();
      await asked;
      stepDowns.push(electedAt - askedAt);
      handovers.push(electedAt - (releasedAt ?? oldSeenAt));
    }
    log(`  step-down: ${stepDowns.map((ms) => ms.toFixed(0)).join(', ')} ms from the CLI's start; ${handovers.map((ms) => ms.toFixed(0)).join(', ')} ms from the release to the new leader`);
    for (const value of stepDowns) results.add('cluster.stepdown', 'owl', value);
    for (const value of handovers) results.add('cluster.handover', 'owl', value);
  } finally {
    for (const tool of tools) await context.retire(tool);
    await redis.stop();
  }
}
