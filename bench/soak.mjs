// `pnpm soak`: one owl daemon supervising 100 apps for SOAK_MINUTES (default 30) under churn
// (crash loops, a log flood with rotation, operator commands, a polling client); samples the
// daemon's RSS and CPU and writes bench/soak-results.md. Not part of `pnpm test`.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchContext } from './lib/context.mjs';
import { verifyFloodLog } from './lib/log-verify.mjs';
import { freshMarkerDir, readMarkers, waitForApps } from './lib/markers.mjs';
import { OwlTool } from './lib/owl-tool.mjs';
import { TICKS_PER_SECOND, readCpuTicks, readRss, runTimed } from './lib/processes.mjs';
import { BENCH_DIR, MARKER_APP } from './lib/settings.mjs';
import { sleep, waitFor } from './lib/wait.mjs';
import { summarize, writeSoakReport } from './soak/soak-report.mjs';
import { SOAK } from './soak/soak-settings.mjs';
import { operatorCommand, soakApps } from './soak/soak-workload.mjs';

const startedAt = Date.now();
const log = (message) => process.stdout.write(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(5)} s] ${message}\n`);

const context = new BenchContext();
let owl = null;
const cleanup = async () => {
  if (owl) await owl.shutdown();
  return context.cleanup();
};
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));

/** Runs an owl command in the background of the soak; counts it as failed on a non-zero exit. */
function background(args, tally, key) {
  const { command, args: full, env } = owl.command(args);
  return runTimed(command, full, { env, timeoutMs: 30_000 })
    .then((result) => {
      if (result.code !== 0) {
        tally[key] += 1;
        log(`owl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim().slice(0, 200)}`);
      }
    })
    .catch(() => (tally[key] += 1));
}

async function soak() {
  context.snapshotOwl();
  owl = new OwlTool(context.root, 'soak', context.owlCli);
  const markerDir = freshMarkerDir(context.root, 'soak');
  const apps = soakApps({ markerApp: MARKER_APP, crashApp: path.join(BENCH_DIR, 'fixtures/crash-later.cjs'), floodApp: path.join(BENCH_DIR, 'fixtures/paced-flood.cjs'), markerDir });
  await owl.startDaemon();
  await owl.startApps(apps, { timeout: '120s' });
  const stable = apps.filter((app) => app.name.startsWith('stable-')).map((app) => app.name);
  await waitForApps(markerDir, [...stable, 'flood']);
  const daemonPid = owl.daemonPid();
  log(`daemon ${daemonPid} supervising ${apps.length} apps for ${SOAK.minutes} min (temp root ${context.root})`);

  const load = { start: os.loadavg()[0], end: null };
  const samples = [];
  const tally = { operatorFailures: 0, clientFailures: 0 };
  const soakStart = Date.now();
  const due = { sample: 0, list: 0, logs: 0, operator: SOAK.operatorEveryMs };
  let operatorStep = 0;
  const pending = new Set();
  const track = (promise) => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  };
  for (let atMs = 0; atMs < SOAK.durationMs; atMs = Date.now() - soakStart) {
    if (atMs >= due.sample) {
      const rss = readRss(daemonPid);
      if (rss === null) throw new Error(`the daemon (pid ${daemonPid}) is gone`);
      samples.push({ atMs, rss, cpuMs: (readCpuTicks(daemonPid) * 1000) / TICKS_PER_SECOND });
      if (samples.length % 30 === 1) log(`RSS ${(rss / 1024 / 1024).toFixed(1)} MiB`);
      due.sample += SOAK.sampleMs;
    }
    if (atMs >= due.list) {
      track(background(['ls', '--json'], tally, 'clientFailures'));
      due.list += SOAK.listEveryMs;
    }
    if (atMs >= due.logs) {
      track(background(['logs', 'flood', '-n', '200'], tally, 'clientFailures'));
      due.logs += SOAK.logsEveryMs;
    }
    if (atMs >= due.operator) {
      track(background(operatorCommand(operatorStep), tally, 'operatorFailures'));
      operatorStep += 1;
      due.operator += SOAK.operatorEveryMs;
    }
    await sleep(200);
  }
  await Promise.all(pending);
  load.end = os.loadavg()[0];

  const doneFile = path.join(markerDir, 'flood.done');
  await waitFor('the flood app to finish', () => existsSync(doneFile), { timeoutMs: 60_000 });
  const { count } = JSON.parse(readFileSync(doneFile, 'utf8'));
  // The daemon reads and rotates behind the writer: give it a moment to catch up.
  await sleep(2_000);
  const flood = await verifyFloodLog(owl.logFiles('flood'), count);
  const markers = readMarkers(markerDir);
  const unexpectedRestarts = stable.reduce((sum, app) => sum + markers.filter((marker) => marker.app === app).length - 1, 0);
  const summary = summarize({ samples, linesWritten: count, flood, unexpectedRestarts, ...tally, revision: context.owlRevision, load });
  log(`wrote ${writeSoakReport(summary, samples)}`);
  log(JSON.stringify(summary));
}

let failed = false;
try {
  await soak();
} catch (error) {
  failed = true;
  process.stderr.write(`soak failed: ${error.stack ?? error}\n`);
} finally {
  const leftovers = await cleanup();
  log(`cleaned up${leftovers > 0 ? ` (${leftovers} leftover processes killed by pid)` : ''}`);
}
process.exitCode = failed ? 1 : 0;
