// Writes bench/soak-results.md and bench/soak-results.json from the soak's samples.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeMachine } from '../lib/report.mjs';
import { BENCH_DIR } from '../lib/settings.mjs';
import { median } from '../lib/stats.mjs';
import { SOAK } from './soak-settings.mjs';

const MiB = 1024 * 1024;

/** RSS at the end of the warm-up and at the end: medians of the samples in a minute-long window. */
export function summarize({ samples, linesWritten, flood, unexpectedRestarts, operatorFailures, clientFailures, revision, load }) {
  const windowMs = Math.min(60_000, SOAK.warmupMs);
  const atWarmup = samples.filter((sample) => sample.atMs >= SOAK.warmupMs && sample.atMs < SOAK.warmupMs + windowMs);
  const atEnd = samples.filter((sample) => sample.atMs >= SOAK.durationMs - windowMs);
  const rssWarmup = median(atWarmup.map((sample) => sample.rss));
  const rssEnd = median(atEnd.map((sample) => sample.rss));
  const cpuPercent = samples.length > 1 ? (100 * (samples.at(-1).cpuMs - samples[0].cpuMs)) / (samples.at(-1).atMs - samples[0].atMs) : null;
  return {
    minutes: SOAK.minutes,
    revision,
    load,
    rssWarmupMiB: rssWarmup / MiB,
    rssEndMiB: rssEnd / MiB,
    rssPeakMiB: Math.max(...samples.map((sample) => sample.rss)) / MiB,
    rssGrowthPercent: (100 * (rssEnd - rssWarmup)) / rssWarmup,
    cpuPercent,
    linesWritten,
    linesLost: flood.lost,
    linesDuplicated: flood.duplicated,
    linesForeign: flood.foreign,
    unexpectedRestarts,
    operatorFailures,
    clientFailures,
  };
}

function met(value, goal, below = true) {
  return (below ? value <= goal : value >= goal) ? 'yes' : 'no';
}

export function writeSoakReport(summary, samples) {
  const { goals } = SOAK;
  const base = SOAK.minutes === 30 ? 'soak-results' : 'soak-results.partial';
  const lines = [
    '# owl soak',
    '',
    `${summary.minutes} min with ${SOAK.stable} stable apps, ${SOAK.crashers} crash loops, ${SOAK.operated} apps restarted/stopped/started by an operator every ${SOAK.operatorEveryMs / 1000} s, one app writing ${SOAK.floodLinesPerSecond} lines/s with rotation at ${SOAK.floodMaxSize}, and a client calling \`owl ls\` every ${SOAK.listEveryMs / 1000} s and \`owl logs\` every ${SOAK.logsEveryMs / 1000} s. owl ${summary.revision}; load average ${summary.load.start.toFixed(2)} at start, ${summary.load.end.toFixed(2)} at the end.`,
    '',
    '| figure | value | goal | met |',
    '|---|---|---|---|',
    `| daemon RSS growth, minute ${(SOAK.warmupMs / 60_000).toFixed(1)} to the end | ${summary.rssGrowthPercent.toFixed(1)} % (${summary.rssWarmupMiB.toFixed(1)} -> ${summary.rssEndMiB.toFixed(1)} MiB, peak ${summary.rssPeakMiB.toFixed(1)}) | < ${goals.rssGrowthPercent} % | ${met(summary.rssGrowthPercent, goals.rssGrowthPercent)} |`,
    `| daemon CPU, whole run | ${summary.cpuPercent?.toFixed(1)} % of a core | - | - |`,
    `| flood lines lost | ${summary.linesLost} of ${summary.linesWritten} (${summary.linesDuplicated} doubled, ${summary.linesForeign} torn) | ${goals.linesLost} | ${met(summary.linesLost + summary.linesDuplicated + summary.linesForeign, goals.linesLost)} |`,
    `| unexpected restarts of stable apps | ${summary.unexpectedRestarts} | ${goals.unexpectedRestarts} | ${met(summary.unexpectedRestarts, goals.unexpectedRestarts)} |`,
    `| failed operator commands / client calls | ${summary.operatorFailures} / ${summary.clientFailures} | 0 | ${met(summary.operatorFailures + summary.clientFailures, 0)} |`,
    '',
    `RSS and CPU are read from /proc every 10 s; growth compares the medians of the samples in the minute after the warm-up and in the last minute. \`${base}.json\` beside this file has every sample.`,
    '',
  ];
  const markdown = path.join(BENCH_DIR, `${base}.md`);
  writeFileSync(markdown, lines.join('\n'));
  writeFileSync(path.join(BENCH_DIR, `${base}.json`), `${JSON.stringify({ machine: describeMachine(), summary, samples }, null, 1)}\n`);
  return markdown;
}
