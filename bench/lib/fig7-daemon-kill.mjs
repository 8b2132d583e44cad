// Figure 7: kill -9 the daemon while it supervises N apps AND an operator's `restart all` is in
// flight (the kill comes as soon as the first restarted process runs); count the apps with a
// live process; bring the daemon back the tool's own way (owl: `owl daemon start`, which
// re-adopts; PM2: `pm2 resurrect` from the `pm2 save` dump taken before the kill); then count
// apps running and duplicate processes (more than one live process of the same app). The
// operator wanted every app running, so all N must be back, each exactly once.
import { freshMarkerDir, readMarkers, waitForApps } from './markers.mjs';
import { isAlive, killPid } from './processes.mjs';
import { SETTINGS } from './settings.mjs';
import { markerApps } from './workload.mjs';
import { sleep, waitFor } from './wait.mjs';

// Long enough for anything the restarted daemon starts late (a restart, a second copy) to show.
const AFTER_RECOVER_MS = 3_000;
const AFTER_KILL_MS = 1_000;
const BEFORE_KILL_MS = 500;

function liveProcessesByApp(dir, apps) {
  const live = new Map(apps.map((app) => [app, 0]));
  for (const marker of readMarkers(dir)) {
    if (live.has(marker.app) && isAlive(marker.pid)) live.set(marker.app, live.get(marker.app) + 1);
  }
  return live;
}

async function killOnce(tool, root, results, log) {
  const dir = freshMarkerDir(root, `${tool.label}-kill`);
  await tool.startDaemon();
  const apps = markerApps('kill', SETTINGS.killApps, dir);
  const names = apps.map((app) => app.name);
  await tool.startApps(apps);
  await waitForApps(dir, names);
  if (tool.save) await tool.save();
  // Let the daemon finish persisting what it just did, as it would have in real life.
  await sleep(BEFORE_KILL_MS);
  const daemon = tool.daemonPid();
  const before = new Set(readMarkers(dir).map((marker) => marker.pid));
  // The operator's command, in flight when the daemon dies (its failure is expected).
  const inFlight = tool.run(['restart', 'all']).catch(() => undefined);
  await waitFor(`${tool.label} restart under way`, () => readMarkers(dir).some((marker) => !before.has(marker.pid)), { timeoutMs: 30_000, intervalMs: 5 });
  killPid(daemon);
  await waitFor(`${tool.label} daemon ${daemon} to die`, () => !isAlive(daemon), { timeoutMs: 10_000 });
  await inFlight;
  await sleep(AFTER_KILL_MS);
  const survivors = [...liveProcessesByApp(dir, names).values()].filter((count) => count > 0).length;
  await tool.recover();
  await waitFor(`${tool.label} apps back after recovery`, () => [...liveProcessesByApp(dir, names).values()].every((count) => count > 0), { timeoutMs: 30_000, intervalMs: 50 }).catch(() => false);
  await sleep(AFTER_RECOVER_MS);
  const counts = [...liveProcessesByApp(dir, names).values()];
  const back = counts.filter((count) => count > 0).length;
  const duplicates = counts.reduce((total, count) => total + Math.max(0, count - 1), 0);
  log(`  ${tool.label}: ${survivors}/${names.length} survived the kill, ${back} running after recovery, ${duplicates} duplicates`);
  results.add('kill.survive', tool.label, survivors);
  results.add('kill.back', tool.label, back);
  results.add('kill.dup', tool.label, duplicates);
}

export async function runDaemonKill(context, results, log) {
  for (let rep = 0; rep < SETTINGS.killReps; rep += 1) {
    const tools = context.newTools();
    const order = rep % 2 === 0 ? [tools.owl, tools.pm2] : [tools.pm2, tools.owl];
    for (const tool of order) {
      log(`daemon kill ${rep + 1}/${SETTINGS.killReps}: ${tool.label}`);
      await killOnce(tool, context.root, results, log);
      await context.retire(tool);
    }
  }
}
