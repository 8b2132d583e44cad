// Figure 4: kill -9 an app, time until the replacement process's own code runs. Both daemons
// run side by side here (idle apart from the victim) and the kills alternate between them.
// Each kill waits until the victim has run 1.5 s: past PM2's default min_uptime (1 s) and
// owl's minUptime, set to the same 1 s here (owl's default is 10 s, which would make a dozen
// quick kills a crash loop with growing backoff rather than a dozen independent crashes).
// The floor: the bench itself spawns the same app and times it to its marker, in each turn.
import { spawn } from 'node:child_process';
import { freshMarkerDir, readMarkers, waitForApps } from './markers.mjs';
import { killPid } from './processes.mjs';
import { MARKER_APP, SETTINGS } from './settings.mjs';
import { markerApps } from './workload.mjs';
import { sleep, waitFor } from './wait.mjs';

const HEALTHY_RUN_MS = 1_500;
const SAME_UPTIME = { restart: { minUptime: 1_000 } };

function latestMarker(dir, app) {
  return readMarkers(dir).filter((marker) => marker.app === app).sort((a, b) => b.at - a.at)[0];
}

async function timeOneCrash(dir, app) {
  const victim = latestMarker(dir, app);
  await sleep(Math.max(0, victim.at + HEALTHY_RUN_MS - Date.now()));
  const killedAt = Date.now();
  killPid(victim.pid);
  const next = await waitFor(`${app} to come back`, () => {
    const marker = latestMarker(dir, app);
    return marker && marker.pid !== victim.pid ? marker : null;
  }, { timeoutMs: 30_000, intervalMs: 2 });
  return next.at - killedAt;
}

async function timeOneSpawn(dir, env, serial) {
  const app = `floor-${serial}`;
  const startedAt = Date.now();
  const child = spawn(process.execPath, [MARKER_APP], { env: { ...env, MARKER_DIR: dir, BENCH_APP: app }, stdio: 'ignore' });
  const marker = await waitFor('the floor app', () => latestMarker(dir, app), { timeoutMs: 30_000, intervalMs: 2 });
  child.kill('SIGKILL');
  return marker.at - startedAt;
}

export async function runCrashRestart(context, results, log) {
  const { owl, pm2 } = context.newTools();
  const dir = freshMarkerDir(context.root, 'crash');
  await owl.startDaemon();
  await pm2.startDaemon();
  await owl.startApps(markerApps('crash-owl', 1, dir, { owl: SAME_UPTIME }));
  await pm2.startApps(markerApps('crash-pm2', 1, dir));
  await waitForApps(dir, ['crash-owl-0', 'crash-pm2-0']);
  const turns = [owl, pm2];
  for (let kill = 0; kill < SETTINGS.crashKills; kill += 1) {
    log(`crash ${kill + 1}/${SETTINGS.crashKills}`);
    for (const tool of kill % 2 === 0 ? turns : [...turns].reverse()) {
      results.add('crash.restart', tool.label, await timeOneCrash(dir, `crash-${tool.label}-0`));
      results.add('crash.floor', tool.label, await timeOneSpawn(dir, tool.env, `${tool.label}-${kill}`));
    }
  }
  await context.retire(owl);
  await context.retire(pm2);
}
