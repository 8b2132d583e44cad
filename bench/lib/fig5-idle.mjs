// Figure 5: the daemon's own RSS (sampled every second, median) and CPU (user+system time over
// the window) while it supervises N apps and nobody talks to it. During owl's window the floor
// row is sampled the same way: bench/fixtures/rss-floor.mjs, started with owld's own Node flags
// (read from its command line), i.e. Node with only the modules the daemon cannot do without.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TICKS_PER_SECOND, readCpuTicks, readRss } from './processes.mjs';
import { BENCH_DIR } from './settings.mjs';
import { median } from './stats.mjs';
import { sleep, waitFor } from './wait.mjs';

const MIB = 1024 * 1024;
const SAMPLE_MS = 1_000;
const FLOOR_APP = `${BENCH_DIR}fixtures/rss-floor.mjs`;

/** The Node flags a process was started with: its arguments before the script. */
function nodeFlagsOf(pid) {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1);
  return args.slice(0, Math.max(0, args.findIndex((arg) => !arg.startsWith('-'))));
}

async function startFloor(tool, daemonPid) {
  const socket = path.join(tool.home, 'floor.sock');
  const child = spawn(process.execPath, [...nodeFlagsOf(daemonPid), FLOOR_APP, socket], { env: tool.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  await waitFor('the RSS floor process to listen', () => output.includes('ready') || null, { timeoutMs: 30_000, intervalMs: 20 });
  return child;
}

export async function measureIdle(tool, idleMs, results) {
  const pid = tool.daemonPid();
  const floor = tool.label === 'owl' ? await startFloor(tool, pid) : null;
  try {
    const startTicks = readCpuTicks(pid);
    const startedAt = process.hrtime.bigint();
    const rss = [];
    const floorRss = [];
    for (let elapsed = 0; elapsed < idleMs; elapsed += SAMPLE_MS) {
      await sleep(SAMPLE_MS);
      const sample = readRss(pid);
      if (sample === null) throw new Error(`${tool.label} daemon (pid ${pid}) died while idle`);
      rss.push(sample / MIB);
      if (floor) floorRss.push(readRss(floor.pid) / MIB);
    }
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const cpuSeconds = (readCpuTicks(pid) - startTicks) / TICKS_PER_SECOND;
    results.add('idle.rss', tool.label, median(rss));
    results.add('idle.cpu', tool.label, (cpuSeconds / seconds) * 100);
    if (floor) results.add('idle.floor', tool.label, median(floorRss));
  } finally {
    floor?.kill('SIGKILL');
  }
}
