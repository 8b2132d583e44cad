// Figures 1, 2, 3 and 5 share one session per tool and repetition: cold start, a few apps
// (round trips), then many apps (start time, round trips, idle). Tools run one after the
// other, never side by side, and the order alternates with each repetition.
import { measureListRoundTrip, measureNodeFloor } from './fig1-cli-round-trip.mjs';
import { measureColdStart } from './fig2-cold-start.mjs';
import { measureStartApps, measureStartFloor } from './fig3-start-apps.mjs';
import { measureIdle } from './fig5-idle.mjs';
import { freshMarkerDir, waitForApps } from './markers.mjs';
import { SETTINGS, runsFigure } from './settings.mjs';
import { markerApps } from './workload.mjs';
import { sleep } from './wait.mjs';

const IDLE_SETTLE_MS = 3_000;

async function runFewApps(tool, root, results) {
  const dir = freshMarkerDir(root, `${tool.label}-few`);
  const apps = markerApps('few', SETTINGS.fewApps, dir);
  await tool.startApps(apps);
  await waitForApps(dir, apps.map((app) => app.name));
  await measureNodeFloor(tool.label, SETTINGS.listCallsPerRep, results);
  await measureListRoundTrip(tool, 'cli.few', SETTINGS.listCallsPerRep, results);
  await tool.deleteAll();
}

async function runSession(tool, root, rep, results, log) {
  if (runsFigure(2)) await measureColdStart(tool, results);
  else await tool.startDaemon();
  if (runsFigure(1)) await runFewApps(tool, root, results);
  if (!runsFigure(1) && !runsFigure(3) && !runsFigure(5)) return;
  if (runsFigure(3)) await measureStartFloor(tool, root, SETTINGS.manyApps, results);
  await measureStartApps(tool, root, SETTINGS.manyApps, results);
  if (runsFigure(1)) await measureListRoundTrip(tool, 'cli.many', SETTINGS.listCallsPerRep, results);
  // One idle window per tool: it is a long, steady figure, not a noisy one.
  if (runsFigure(5) && rep === 0) {
    log(`  ${tool.label}: idle ${SETTINGS.idleMs / 1000} s with ${SETTINGS.manyApps} apps`);
    await sleep(IDLE_SETTLE_MS);
    await measureIdle(tool, SETTINGS.idleMs, results);
  }
}

export async function runFleet(context, results, log) {
  for (let rep = 0; rep < SETTINGS.fleetReps; rep += 1) {
    const tools = context.newTools();
    const order = rep % 2 === 0 ? [tools.owl, tools.pm2] : [tools.pm2, tools.owl];
    for (const tool of order) {
      log(`fleet ${rep + 1}/${SETTINGS.fleetReps}: ${tool.label}`);
      await runSession(tool, context.root, rep, results, log);
      await context.retire(tool);
    }
  }
}
