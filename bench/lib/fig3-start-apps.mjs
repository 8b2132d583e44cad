// Figure 3: from the start command (config file with N apps) until every app's own code has
// run, i.e. until the latest of the N markers was written.
import { freshMarkerDir, waitForApps } from './markers.mjs';
import { markerApps } from './workload.mjs';

export async function measureStartApps(tool, root, count, results) {
  const dir = freshMarkerDir(root, `${tool.label}-start`);
  const apps = markerApps('many', count, dir);
  const startedAt = Date.now();
  await tool.startApps(apps);
  const markers = await waitForApps(dir, apps.map((app) => app.name));
  results.add('start.many', tool.label, Math.max(...markers.map((marker) => marker.at)) - startedAt);
}
