// Figure 5: the daemon's own RSS (sampled every second, median) and CPU (user+system time over
// the window) while it supervises N apps and nobody talks to it.
import { TICKS_PER_SECOND, readCpuTicks, readRss } from './processes.mjs';
import { median } from './stats.mjs';
import { sleep } from './wait.mjs';

const MIB = 1024 * 1024;
const SAMPLE_MS = 1_000;

export async function measureIdle(tool, idleMs, results) {
  const pid = tool.daemonPid();
  const startTicks = readCpuTicks(pid);
  const startedAt = process.hrtime.bigint();
  const rss = [];
  for (let elapsed = 0; elapsed < idleMs; elapsed += SAMPLE_MS) {
    await sleep(SAMPLE_MS);
    const sample = readRss(pid);
    if (sample === null) throw new Error(`${tool.label} daemon (pid ${pid}) died while idle`);
    rss.push(sample / MIB);
  }
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const cpuSeconds = (readCpuTicks(pid) - startTicks) / TICKS_PER_SECOND;
  results.add('idle.rss', tool.label, median(rss));
  results.add('idle.cpu', tool.label, (cpuSeconds / seconds) * 100);
}
