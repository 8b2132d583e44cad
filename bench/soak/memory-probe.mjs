// Preloaded into the daemon with NODE_OPTIONS="--import <this file>" and OWL_MEMORY_PROBE=<file>:
// appends process.memoryUsage() (heap vs external vs array buffers vs RSS) every 10 s as JSON
// lines, so a soak or an idle run shows where the daemon's RSS goes. Other processes that
// inherit NODE_OPTIONS (the apps) are left alone.
import { appendFileSync } from 'node:fs';

const file = process.env.OWL_MEMORY_PROBE;
if (file && /owld\.mjs$/.test(process.argv[1] ?? '')) {
  const startedAt = Date.now();
  const sample = () => {
    const usage = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ atMs: Date.now() - startedAt, pid: process.pid, ...usage })}\n`);
  };
  setInterval(sample, 10_000).unref();
}
