// Figure 3: from the start command (config file with N apps) until every app's own code has
// run, i.e. until the latest of the N markers was written. The floor: the bench itself spawns
// the same N processes, one per core at a time (each next one once a marker appears: all at
// once is slower, the boots thrash), and waits for their markers the same way.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { freshMarkerDir, readMarkers, waitForApps } from './markers.mjs';
import { markerApps } from './workload.mjs';
import { sleep } from './wait.mjs';

async function timeUntilMarkers(dir, apps, start) {
  const startedAt = Date.now();
  await start();
  const markers = await waitForApps(dir, apps.map((app) => app.name));
  return Math.max(...markers.map((marker) => marker.at)) - startedAt;
}

export async function measureStartApps(tool, root, count, results) {
  const dir = freshMarkerDir(root, `${tool.label}-start`);
  const apps = markerApps('many', count, dir);
  results.add('start.many', tool.label, await timeUntilMarkers(dir, apps, () => tool.startApps(apps)));
}

export async function measureStartFloor(tool, root, count, results) {
  const dir = freshMarkerDir(root, `${tool.label}-start-floor`);
  const apps = markerApps('floor', count, dir);
  const children = [];
  const spawnAll = async () => {
    for (const app of apps) {
      while (children.length - readMarkers(dir).length >= availableParallelism()) await sleep(5);
      children.push(spawn(process.execPath, [app.script], { env: { ...tool.env, ...app.env }, stdio: 'ignore' }));
    }
  };
  try {
    results.add('start.floor', tool.label, await timeUntilMarkers(dir, apps, spawnAll));
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}
