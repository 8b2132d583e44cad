// Idle daemons side by side, so machine load lands on all of them alike: one owld per
// argument `[DIST::]NODE_FLAGS` (DIST: another build's packages/cli/dist, to compare
// revisions), each with IDLE_APPS `sleep` apps (default 100); after 10 s of settling, RSS
// (median of 1 s samples) and CPU over WINDOW seconds (default 60). Every daemon is stopped with
// its apps at the end, also on error.
//   node bench/idle-side-by-side.mjs "--max-semi-space-size=1" "--max-semi-space-size=1 --optimize-for-size"
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TICKS_PER_SECOND, readCpuTicks, readRss } from './lib/processes.mjs';
import { median } from './lib/stats.mjs';
import { sleep } from './lib/wait.mjs';

const DEFAULT_DIST = fileURLToPath(new URL('../packages/cli/dist', import.meta.url));
const apps = Number(process.env.IDLE_APPS ?? 100);
const windowSeconds = Number(process.env.WINDOW ?? 60);
const SETTLE_MS = 10_000;

const owl = (dist, home, ...args) => spawnSync(process.execPath, [path.join(dist, 'owl.mjs'), '--home', home, ...args], { encoding: 'utf8' });

/** Starts one owld (registered in `daemons` at once, so cleanup finds it) and applies the apps. */
async function startDaemon(argument, daemons) {
  const [dist, flags] = argument.includes('::') ? argument.split('::') : [DEFAULT_DIST, argument];
  const home = mkdtempSync(path.join(tmpdir(), 'owl-side-'));
  const daemon = { label: `${path.basename(path.dirname(dist))}/${path.basename(dist)} ${flags}`, dist, home, pid: null };
  const child = spawn(process.execPath, [...flags.split(' ').filter(Boolean), path.join(dist, 'owld.mjs'), '--home', home], { detached: true, stdio: 'ignore' });
  child.unref();
  daemon.pid = child.pid;
  daemons.push(daemon);
  while (owl(dist, home, 'ping').status !== 0) await sleep(100);
  const config = path.join(home, 'owl.config.json');
  writeFileSync(config, JSON.stringify({ apps: Array.from({ length: apps }, (_, index) => ({ name: `idle-${index}`, command: 'sleep', args: ['100000'] })) }));
  const applied = owl(dist, home, 'apply', '-f', config);
  if (applied.status !== 0) throw new Error(`apply failed for ${daemon.label}: ${applied.stderr}`);
}

const daemons = [];
try {
  for (const argument of process.argv.slice(2)) await startDaemon(argument, daemons);
  await sleep(SETTLE_MS);
  for (const daemon of daemons) [daemon.ticks, daemon.rss] = [readCpuTicks(daemon.pid), []];
  for (let second = 0; second < windowSeconds; second += 1) {
    await sleep(1_000);
    for (const daemon of daemons) daemon.rss.push(readRss(daemon.pid) / 1048576);
  }
  for (const daemon of daemons) {
    const cpu = ((readCpuTicks(daemon.pid) - daemon.ticks) / TICKS_PER_SECOND / windowSeconds) * 100;
    const status = readFileSync(`/proc/${daemon.pid}/status`, 'utf8');
    const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    process.stdout.write(`${daemon.label}: RSS median ${median(daemon.rss).toFixed(1)} MiB (now anon ${(kib('RssAnon') / 1024).toFixed(1)}, file ${(kib('RssFile') / 1024).toFixed(1)}), CPU ${cpu.toFixed(2)} % of a core\n`);
  }
} finally {
  for (const daemon of daemons) {
    owl(daemon.dist, daemon.home, 'daemon', 'stop', '--with-apps');
    rmSync(daemon.home, { recursive: true, force: true });
  }
}
