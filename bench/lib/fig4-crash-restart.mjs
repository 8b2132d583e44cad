// Figure 4: kill -9 an app, time until the replacement process's own code runs. Both daemons
// run side by side here (idle apart from the victim) and the kills alternate between them.
// Each kill waits until the victim has run 1.5 s: past PM2's default min_uptime (1 s) and
// owl's minUptime, set to the same 1 s here (owl's default is 10 s, which would make ten
// quick kills a crash loop with growing backoff rather than ten independent crashes).
import { freshMarkerDir, readMarkers, waitForApps } from './markers.mjs';
import { killPid } from './processes.mjs';
import { SETTINGS } from './settings.mjs';
import { markerApps } from './workload.mjs';
import { sleep, waitFor } from './wait.mjs';

const HEALTHY_RUN_MS = 1_500;
const SAME_UPTIME = { restart: { minUptime: 1_000 } };
const NO_BACKOFF = { restart: { minUptime: 1_000, backoff: { initial: 0 } } };

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

export async function runCrashRestart(context, results, log) {
  const { owl, pm2 } = context.newTools();
  const dir = freshMarkerDir(context.root, 'crash');
  await owl.startDaemon();
  await pm2.startDaemon();
  const owlApps = [...markerApps('crash-owl', 1, dir, { owl: SAME_UPTIME }), ...markerApps('crash-owl-nobackoff', 1, dir, { owl: NO_BACKOFF })];
  const pm2Apps = markerApps('crash-pm2', 1, dir);
  await owl.startApps(owlApps);
  await pm2.startApps(pm2Apps);
  await waitForApps(dir, [...owlApps, ...pm2Apps].map((app) => app.name));
  const victims = [
    { app: 'crash-owl-0', key: 'crash.restart', tool: 'owl' },
    { app: 'crash-pm2-0', key: 'crash.restart', tool: 'pm2' },
    { app: 'crash-owl-nobackoff-0', key: 'crash.restart.nobackoff', tool: 'owl' },
  ];
  for (let kill = 0; kill < SETTINGS.crashKills; kill += 1) {
    log(`crash ${kill + 1}/${SETTINGS.crashKills}`);
    // Alternate which tool goes first.
    const order = kill % 2 === 0 ? victims : [victims[1], victims[0], victims[2]];
    for (const victim of order) results.add(victim.key, victim.tool, await timeOneCrash(dir, victim.app));
  }
  await context.retire(owl);
  await context.retire(pm2);
}
