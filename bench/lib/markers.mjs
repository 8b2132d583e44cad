// Markers: each app process writes <dir>/<app>.<pid> holding Date.now() when its code runs.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait.mjs';

let serial = 0;

export function freshMarkerDir(root, label) {
  serial += 1;
  const dir = path.join(root, 'markers', `${label}-${serial}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// Markers never change once written, so each is read once: a poll costs one readdir, not a
// read per app (polling 100 files every 10 ms would steal CPU from the tools being measured).
const seen = new Map();

/** Every marker in dir: [{ app, pid, at }]. */
export function readMarkers(dir) {
  const markers = [];
  for (const file of readdirSync(dir)) {
    const match = /^(.+)\.(\d+)$/.exec(file);
    if (!match) continue;
    const full = path.join(dir, file);
    let marker = seen.get(full);
    if (!marker) {
      const text = readFileSync(full, 'utf8');
      // Written in one call, but it may be read between the open and the write.
      if (text === '') continue;
      marker = { app: match[1], pid: Number(match[2]), at: Number(text) };
      seen.set(full, marker);
    }
    markers.push(marker);
  }
  return markers;
}

/** Waits until each named app has a marker; returns the markers, one per app (the latest). */
export async function waitForApps(dir, apps, { timeoutMs = 120_000 } = {}) {
  const wanted = new Set(apps);
  return waitFor(`${apps.length} app markers in ${dir}`, () => {
    const latest = new Map();
    for (const marker of readMarkers(dir)) {
      if (!wanted.has(marker.app)) continue;
      const seen = latest.get(marker.app);
      if (!seen || seen.at < marker.at) latest.set(marker.app, marker);
    }
    return latest.size === wanted.size ? [...latest.values()] : null;
  }, { timeoutMs });
}
