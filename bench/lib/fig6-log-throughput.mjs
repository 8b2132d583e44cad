// Figure 6: one app writes fixed-width numbered lines as fast as its stdout accepts them for
// the flood window. Throughput = lines found in the log / (app start -> log complete); the
// log is complete when its size reaches what the app wrote (or stops growing for 3 s).
// owl gets a log maxSize larger than the flood, so rotation (keep: 5 by default) cannot
// drop lines: PM2 without pm2-logrotate keeps everything too.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { verifyFloodLog } from './log-verify.mjs';
import { freshMarkerDir } from './markers.mjs';
import { FLOOD_APP, SETTINGS } from './settings.mjs';
import { sleep, waitFor } from './wait.mjs';

const STALL_MS = 3_000;
const POLL_MS = 20;

function sizeOf(files) {
  return files.reduce((total, file) => total + (existsSync(file) ? statSync(file).size : 0), 0);
}

async function waitForComplete(tool, expectedBytes) {
  let lastSize = -1;
  let lastChange = Date.now();
  for (;;) {
    const files = tool.logFiles('flood');
    const size = sizeOf(files);
    if (size >= expectedBytes) return { at: Date.now(), files, stalled: false };
    if (size !== lastSize) [lastSize, lastChange] = [size, Date.now()];
    else if (Date.now() - lastChange > STALL_MS) return { at: lastChange, files, stalled: true };
    await sleep(POLL_MS);
  }
}

async function waitForDone(dir) {
  const doneFile = path.join(dir, 'flood.done');
  await waitFor('the flood app to finish', () => existsSync(doneFile) && statSync(doneFile).size > 0, { timeoutMs: SETTINGS.floodMs + 60_000, intervalMs: 50 });
  return JSON.parse(readFileSync(doneFile, 'utf8'));
}

/**
 * The floor: the same app with its stdout on a file and no supervisor at all, measured the same
 * way (start to the file holding every line): what any tool that logs to files can reach.
 */
async function floodFloor(context, results, log) {
  const dir = freshMarkerDir(context.root, 'floor-flood');
  const file = path.join(dir, 'out.log');
  const fd = openSync(file, 'a');
  const child = spawn(process.execPath, [FLOOD_APP], { env: { ...process.env, MARKER_DIR: dir, BENCH_APP: 'flood', FLOOD_MS: String(SETTINGS.floodMs) }, stdio: ['ignore', fd, 'ignore'] });
  closeSync(fd);
  try {
    const done = await waitForDone(dir);
    const complete = await waitForComplete({ logFiles: () => [file] }, done.count * done.lineBytes);
    const check = await verifyFloodLog(complete.files, done.count);
    const seconds = (complete.at - done.startedAt) / 1000;
    log(`  floor: wrote ${done.count} lines, ${check.arrived} in the file after ${seconds.toFixed(2)} s`);
    results.add('log.floor', 'owl', check.arrived / seconds);
  } finally {
    child.kill('SIGKILL');
  }
}

async function floodOnce(tool, root, results, log) {
  const dir = freshMarkerDir(root, `${tool.label}-flood`);
  await tool.startDaemon();
  await tool.startApps([{
    name: 'flood',
    script: FLOOD_APP,
    env: { MARKER_DIR: dir, BENCH_APP: 'flood', FLOOD_MS: String(SETTINGS.floodMs) },
    owl: { logs: { maxSize: '64GB' } },
    pm2: {},
  }]);
  const done = await waitForDone(dir);
  const complete = await waitForComplete(tool, done.count * done.lineBytes);
  const check = await verifyFloodLog(complete.files, done.count);
  const seconds = (complete.at - done.startedAt) / 1000;
  log(`  ${tool.label}: wrote ${done.count} lines in ${(done.endedAt - done.startedAt) / 1000} s, ${check.arrived} arrived in ${seconds.toFixed(2)} s, lost ${check.lost}, foreign ${check.foreign}, duplicated ${check.duplicated}`);
  results.add('log.rate', tool.label, check.arrived / seconds);
  results.add('log.lost', tool.label, check.lost);
  if (check.foreign + check.duplicated > 0) results.note('log.lost', `${tool.label}: ${check.foreign} torn or foreign lines and ${check.duplicated} duplicated lines in one run`);
}

export async function runLogThroughput(context, results, log) {
  for (let rep = 0; rep < SETTINGS.floodReps; rep += 1) {
    log(`log flood ${rep + 1}/${SETTINGS.floodReps}: floor (no supervisor)`);
    await floodFloor(context, results, log);
    const tools = context.newTools();
    const order = rep % 2 === 0 ? [tools.owl, tools.pm2] : [tools.pm2, tools.owl];
    for (const tool of order) {
      log(`log flood ${rep + 1}/${SETTINGS.floodReps}: ${tool.label}`);
      await floodOnce(tool, context.root, results, log);
      await context.retire(tool);
    }
  }
}
