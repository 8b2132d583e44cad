// `pnpm bench`: owl and PM2 side by side on the same workloads; writes bench/results.md and
// bench/results.json. Every daemon and app it starts is stopped again, also on error or Ctrl-C.
// BENCH_QUICK=1 shortens everything; BENCH_ONLY=1,4 runs some figures only.
import os from 'node:os';
import { BenchContext } from './lib/context.mjs';
import { runFleet } from './lib/fleet-session.mjs';
import { runCrashRestart } from './lib/fig4-crash-restart.mjs';
import { runLogThroughput } from './lib/fig6-log-throughput.mjs';
import { runDaemonKill } from './lib/fig7-daemon-kill.mjs';
import { runRpc } from './lib/fig8-rpc.mjs';
import { runClusterFailover } from './lib/fig9-cluster-failover.mjs';
import { runClusterScale } from './lib/fig10-cluster-scale.mjs';
import { rerenderReport, writeReport } from './lib/report.mjs';
import { Results } from './lib/results.mjs';
import { PM2_VERSION, SETTINGS, runsFigure } from './lib/settings.mjs';
import { noteMissingFeatures } from './lib/owl-features.mjs';

// `node bench/run.mjs --render` rewrites results.md from results.json (e.g. after editing the
// report's text) without measuring anything again.
if (process.argv.includes('--render')) {
  const file = rerenderReport();
  process.stdout.write(`wrote ${file}\n`);
  process.exit(0);
}

const startedAt = new Date();
const loadAtStart = os.loadavg()[0];
const log = (message) => process.stdout.write(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);

const context = new BenchContext();
let interrupted = false;
const onInterrupt = (signal) => {
  if (interrupted) return;
  interrupted = true;
  log(`${signal}: cleaning up`);
  void context
    .cleanup()
    .then((leftovers) => log(`cleaned up${leftovers > 0 ? ` (${leftovers} leftover processes killed by pid)` : ''}`))
    .finally(() => process.exit(130));
};
process.on('SIGINT', onInterrupt);
process.on('SIGTERM', onInterrupt);

const STAGES = [
  { figures: [1, 2, 3, 5], run: runFleet },
  { figures: [4], run: runCrashRestart },
  { figures: [6], run: runLogThroughput },
  { figures: [7], run: runDaemonKill },
  { figures: [8], run: runRpc },
  { figures: [9], run: runClusterFailover },
  { figures: [10], run: runClusterScale },
];

const results = new Results();
let failed = false;
try {
  log(`temp root ${context.root}${SETTINGS.quick ? ' (quick mode)' : ''}; installing pm2@${PM2_VERSION}`);
  context.snapshotOwl();
  await context.installPm2();
  await noteMissingFeatures(context, results);
  for (const stage of STAGES) {
    if (stage.figures.some(runsFigure)) await stage.run(context, results, log);
  }
  const durationMs = Date.now() - startedAt.getTime();
  const file = writeReport({ rows: results.summarize(), pm2Version: context.pm2.version, startedAt, durationMs, load: { start: loadAtStart, end: os.loadavg()[0] }, revision: context.owlRevision });
  log(`wrote ${file}`);
} catch (error) {
  failed = true;
  // After Ctrl-C the stage in flight fails as its processes are swept away: that is no news.
  if (!interrupted) process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
} finally {
  if (!interrupted) {
    const leftovers = await context.cleanup();
    log(`cleaned up${leftovers > 0 ? ` (${leftovers} leftover processes killed by pid)` : ''}`);
  }
}
process.exitCode = failed ? 1 : 0;
