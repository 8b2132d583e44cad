// Figure 4: kill -9 an app, time until the replacement process's own code runs. Both daemons
// run side by side here (idle apart from the victim) and the kills alternate between them.
// Each kill waits until the victim has run 1.5 s: past PM2's default min_uptime (1 s) and
// owl's minUptime, set to the same 1 s here (owl's default is 10 s, which would make a dozen
// quick kills a crash loop with growing backoff rather than a dozen independent crashes).
// The floor, in each turn: the bench itself as the simplest supervisor (kill -9 of its own
// child, spawned again on its exit), timed the same way.
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

/**
 * The floor: the bench itself as the simplest supervisor there is. It spawns the app, lets it
 * run as long as the victims do, kills it with -9 and spawns it again as soon as its exit is
 * seen, timed from the kill to the new process's marker like the tools. The kernel's part of a
 * crash (tearing down the killed process before its parent learns of it, ~5 ms for an idle
 * Node app on this machine) and the new process's start are in it; durability, checks and
 * events are not.
 */
async function timeOneFloorCrash(dir, env, serial) {
  const spawnApp = (app) => spawn(process.execPath, [MARKER_APP], { env: { ...env, MARKER_DIR: dir, BENCH_APP: app }, stdio: 'ignore' });
  const app = `floor-${serial}`;
  const victim = spawnApp(app);
  const started = await waitFor('the floor app', () => latestMarker(dir, app), { timeoutMs: 30_000, intervalMs: 2 });
  await sleep(Math.max(0, started.at + HEALTHY_RUN_MS - Date.now()));
  let replacement;
  const respawned = new Promise((resolve) => victim.once('exit', () => resolve((replacement = spawnApp(app)))));
  const killedAt = Date.now();
  victim.kill('SIGKILL');
  await respawned;
  const marker = await waitFor('the floor app to come back', () => {
    const latest = latestMarker(dir, app);
    return latest && latest.pid !== started.pid ? latest : null;
  }, { timeoutMs: 30_000, intervalMs: 2 });
  replacement.kill('SIGKILL');
  return marker.at - killedAt;
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
      results.add('crash.floor', tool.label, await timeOneFloorCrash(dir, tool.env, `${tool.label}-${kill}`));
    }
  }
  await context.retire(owl);
  await context.retire(pm2);
}
