// The soak's knobs, from the environment: SOAK_MINUTES (default 30), SOAK_APPS (default 100).
const minutes = Number(process.env.SOAK_MINUTES ?? 30);
const apps = Number(process.env.SOAK_APPS ?? 100);
if (!(minutes > 0) || !(apps >= 20)) throw new Error(`SOAK_MINUTES must be > 0 and SOAK_APPS >= 20 (got ${process.env.SOAK_MINUTES}, ${process.env.SOAK_APPS})`);

const durationMs = Math.round(minutes * 60_000);

export const SOAK = Object.freeze({
  minutes,
  durationMs,
  // Growth is measured from the end of the warm-up (minute 5 of a full soak) to the end.
  warmupMs: Math.min(5 * 60_000, Math.round(durationMs / 6)),
  crashers: 5,
  operated: 4,
  stable: apps - 5 - 4 - 1,
  sampleMs: 10_000,
  listEveryMs: 2_000,
  logsEveryMs: 5_000,
  operatorEveryMs: 15_000,
  floodLinesPerSecond: 2_000,
  // 2,000 lines/s of 64 bytes for 30 min is ~230 MB: 4 MB files, enough generations kept
  // that no line is rotated away before it is counted.
  floodMaxSize: '4MB',
  floodKeep: Math.max(20, Math.ceil((durationMs / 1000) * 2_000 * 64 / (4 * 1024 * 1024)) + 10),
  goals: { rssGrowthPercent: 5, linesLost: 0, unexpectedRestarts: 0 },
});
