// Daemon RSS idle with N apps (default 100), quicker than `pnpm bench` figure 5: starts owld
// in a temp home, applies N `sleep` apps, waits IDLE_SECONDS (default 60) and prints the median
// RSS of the last half, with process.memoryUsage() from bench/soak/memory-probe.mjs.
// OWL_BIN picks another build (dist/owl.mjs); OWLD_FLAGS adds V8 flags through NODE_OPTIONS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const owlBin = process.env.OWL_BIN ?? path.join(root, 'packages/cli/dist/owl.mjs');
const apps = Number(process.env.IDLE_APPS ?? 100);
const idleSeconds = Number(process.env.IDLE_SECONDS ?? 60);
const home = mkdtempSync(path.join(tmpdir(), 'owl-idle-'));
const probeFile = path.join(home, 'memory.jsonl');
const env = { ...process.env, OWL_MEMORY_PROBE: probeFile, NODE_OPTIONS: `--import ${path.join(root, 'bench/soak/memory-probe.mjs')} ${process.env.OWLD_FLAGS ?? ''}` };
const owl = (...args) => {
  const result = spawnSync(process.execPath, [owlBin, '--home', home, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`owl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
};
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

owl('daemon', 'start');
const pid = Number(readFileSync(path.join(home, 'daemon.pid'), 'utf8').split('\n')[0]);
try {
  const config = path.join(home, 'owl.config.json');
  writeFileSync(config, JSON.stringify({ apps: Array.from({ length: apps }, (_, index) => ({ name: `idle-${index}`, command: 'sleep', args: ['100000'] })) }));
  owl('apply', '-f', config);
  const samples = [];
  for (let second = 0; second < idleSeconds; second += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (second >= idleSeconds / 2) samples.push(rssOf(pid));
  }
  const memory = readFileSync(probeFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).at(-1);
  const mib = (bytes) => (bytes / 1048576).toFixed(1);
  process.stdout.write(`${JSON.stringify({ apps, idleSeconds, flags: process.env.OWLD_FLAGS ?? '', rssMedianMiB: Number(median(samples).toFixed(1)), heapTotalMiB: mib(memory.heapTotal), heapUsedMiB: mib(memory.heapUsed), externalMiB: mib(memory.external), arrayBuffersMiB: mib(memory.arrayBuffers) })}\n`);
} finally {
  spawnSync(process.execPath, [owlBin, '--home', home, 'daemon', 'stop', '--with-apps'], { env, encoding: 'utf8' });
  rmSync(home, { recursive: true, force: true });
}
