// Figure 2: no daemon running -> the start command returns with the daemon answering; then the
// daemon's RSS once it has settled for a second.
import { readRss } from './processes.mjs';
import { sleep } from './wait.mjs';

const MIB = 1024 * 1024;
const SETTLE_MS = 1_000;

export async function measureColdStart(tool, results) {
  results.add('cold.start', tool.label, await tool.startDaemon());
  await sleep(SETTLE_MS);
  const rss = readRss(tool.daemonPid());
  if (rss === null) throw new Error(`${tool.label}: no daemon process after start (pid file ${tool.daemonPid()})`);
  results.add('cold.rss', tool.label, rss / MIB);
}
