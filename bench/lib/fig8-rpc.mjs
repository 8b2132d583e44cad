// Figure 8: local RPC from one client, one call in flight: owl's `apps.list` over its
// management socket vs PM2's `pm2.list()` over its axon RPC socket, each with N apps. Clients
// run as separate processes so neither shares the bench's event loop.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshMarkerDir, waitForApps } from './markers.mjs';
import { runChecked } from './processes.mjs';
import { SETTINGS } from './settings.mjs';
import { percentile } from './stats.mjs';
import { markerApps } from './workload.mjs';

const CLIENTS = fileURLToPath(new URL('./rpc-clients/', import.meta.url));

function clientCommand(tool) {
  if (tool.label === 'owl') {
    const socket = path.join(tool.home, 'owl.sock');
    if (!existsSync(socket)) return null;
    return [`${CLIENTS}owl-list-client.mjs`, socket, String(SETTINGS.rpcMs)];
  }
  return [`${CLIENTS}pm2-list-client.cjs`, tool.install.moduleDir, String(SETTINGS.rpcMs)];
}

async function measureClient(tool, results) {
  const args = clientCommand(tool);
  if (!args) {
    results.unavailable('rpc.rate', tool.label, `no management socket at ${tool.home}/owl.sock`);
    return;
  }
  const { stdout } = await runChecked(process.execPath, args, { env: tool.env });
  const { latencies, elapsedMs, rows } = JSON.parse(stdout);
  if (rows !== SETTINGS.rpcApps) throw new Error(`${tool.label} list returned ${rows} rows, expected ${SETTINGS.rpcApps}`);
  results.add('rpc.rate', tool.label, latencies.length / (elapsedMs / 1000));
  results.add('rpc.p50', tool.label, percentile(latencies, 50));
  results.add('rpc.p99', tool.label, percentile(latencies, 99));
}

export async function runRpc(context, results, log) {
  const { owl, pm2 } = context.newTools();
  for (const tool of [owl, pm2]) {
    const dir = freshMarkerDir(context.root, `${tool.label}-rpc`);
    const apps = markerApps('rpc', SETTINGS.rpcApps, dir);
    await tool.startDaemon();
    await tool.startApps(apps);
    await waitForApps(dir, apps.map((app) => app.name));
  }
  for (let rep = 0; rep < SETTINGS.rpcReps; rep += 1) {
    for (const tool of rep % 2 === 0 ? [owl, pm2] : [pm2, owl]) {
      log(`rpc ${rep + 1}/${SETTINGS.rpcReps}: ${tool.label}`);
      await measureClient(tool, results);
    }
  }
  await context.retire(owl);
  await context.retire(pm2);
}
