// Preloaded into the daemon with NODE_OPTIONS="--import <this file>" and OWL_MEMORY_PROBE=<file>:
// appends process.memoryUsage() (heap vs external vs array buffers vs RSS) and RssAnon/RssFile
// from /proc/self/status, with the live libuv resources by type and the longest event-loop stall, every 10 s as JSON lines, so a soak or an idle run shows where the
// daemon's RSS goes. With OWL_MEMORY_SNAPSHOTS=<dir> it also writes a heap snapshot there at
// each of the seconds in OWL_MEMORY_SNAPSHOT_AT (e.g. "300,1790") and on SIGUSR2, to compare
// by constructor what the heap holds early and late. Other processes that inherit NODE_OPTIONS
// (the apps, the CLI) are left alone.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';

const file = process.env.OWL_MEMORY_PROBE;
const snapshotDir = process.env.OWL_MEMORY_SNAPSHOTS;
const isDaemon = /owld\.mjs$/.test(process.argv[1] ?? '');

/** RssAnon, RssFile and RssShmem in bytes, where /proc/self/status has them (Linux). */
function residentParts() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const parts = {};
    for (const match of status.matchAll(/^(RssAnon|RssFile|RssShmem):\s+(\d+) kB$/gm)) parts[match[1]] = Number(match[2]) * 1024;
    return parts;
  } catch {
    return {};
  }
}

/** Live libuv handles and requests by type (timers, watchers, child processes, sockets, fs requests). */
function countResources() {
  const counts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

if (isDaemon && file) {
  const startedAt = Date.now();
  // The longest the event loop was blocked in each window: a stall of seconds is a client call that times out.
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const sample = () => {
    const usage = process.memoryUsage();
    const loopDelayMaxMs = Math.round(loopDelay.max / 1e6);
    loopDelay.reset();
    appendFileSync(file, `${JSON.stringify({ atMs: Date.now() - startedAt, pid: process.pid, ...usage, ...residentParts(), loopDelayMaxMs, resources: countResources() })}\n`);
  };
  setInterval(sample, 10_000).unref();
}

if (isDaemon && snapshotDir) {
  const startedAt = Date.now();
  const snapshot = (label) => writeHeapSnapshot(path.join(snapshotDir, `owld-${process.pid}-${label}.heapsnapshot`));
  for (const seconds of (process.env.OWL_MEMORY_SNAPSHOT_AT ?? '').split(',').filter(Boolean).map(Number)) {
    setTimeout(() => snapshot(`${seconds}s`), seconds * 1000).unref();
  }
  process.on('SIGUSR2', () => snapshot(`${Math.round((Date.now() - startedAt) / 1000)}s`));
}
