// Figure 10: the leader's cost at fleet scale. One real owl daemon leads; a simulator process
// writes heartbeats and summaries for 1,000 nodes the way nodes do. Measured over a window:
// the leader daemon's CPU, Redis commands/s and bytes/s, and summaries left unfolded at the end.
import { spawn } from 'node:child_process';
import { clusterKeyOf, formCluster, leaseHolder, startRedis } from './cluster-redis.mjs';
import { readCpuTicks, TICKS_PER_SECOND } from './processes.mjs';
import { BENCH_DIR, SETTINGS } from './settings.mjs';
import { taggedEnv } from './tag.mjs';
import { sleep, waitFor } from './wait.mjs';

const NAME = 'scale';
const WARM_UP_MS = 6_000;

async function redisCounters(client) {
  const info = await client.info('stats');
  const field = (name) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return { commands: field('total_commands_processed'), bytes: field('total_net_input_bytes') + field('total_net_output_bytes') };
}

export async function runClusterScale(context, results, log) {
  const redis = await startRedis(context.root);
  const leader = context.newTools().owl;
  let simulator;
  try {
    await formCluster([leader], redis.url, NAME);
    await waitFor('the daemon to lead', async () => (await leaseHolder(redis.client, NAME)) !== null, { timeoutMs: 15_000 });
    const durationMs = WARM_UP_MS + SETTINGS.simMs + 2_000;
    simulator = spawn(process.execPath, [`${BENCH_DIR}fixtures/cluster-simulator.mjs`, redis.url, NAME, clusterKeyOf(leader.home).toString('base64url'), String(SETTINGS.simNodes), String(durationMs)], { env: taggedEnv(context.root), stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    simulator.stdout.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => simulator.on('exit', resolve));
    await sleep(WARM_UP_MS);
    const pid = leader.daemonPid();
    const ticks = readCpuTicks(pid);
    const counters = await redisCounters(redis.client);
    const from = performance.now();
    await sleep(SETTINGS.simMs);
    const seconds = (performance.now() - from) / 1000;
    const cpu = ((readCpuTicks(pid) - ticks) / TICKS_PER_SECOND / seconds) * 100;
    const after = await redisCounters(redis.client);
    const job = JSON.parse((await redis.client.get(`{owl:${NAME}}:job:fleet-fold`)) ?? '{"state":{"cursor":"0-0"}}');
    const unfolded = (await redis.client.xrange(`{owl:${NAME}}:summaries`, `(${job.state.cursor}`, '+')).length;
    await exited;
    const written = JSON.parse(output || '{}');
    log(`  ${SETTINGS.simNodes} nodes: leader CPU ${cpu.toFixed(1)}%, redis ${((after.commands - counters.commands) / seconds).toFixed(0)} cmd/s, ${((after.bytes - counters.bytes) / seconds / 1024).toFixed(0)} KiB/s, ${unfolded} summaries unfolded, simulator wrote ${JSON.stringify(written)}`);
    results.add('cluster.sim.cpu', 'owl', cpu);
    results.add('cluster.sim.ops', 'owl', (after.commands - counters.commands) / seconds);
    results.add('cluster.sim.kib', 'owl', (after.bytes - counters.bytes) / seconds / 1024);
    results.add('cluster.sim.unfolded', 'owl', unfolded);
  } finally {
    if (simulator && simulator.exitCode === null) simulator.kill('SIGKILL');
    await context.retire(leader);
    await redis.stop();
  }
}
