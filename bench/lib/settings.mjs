// Every count and duration of the bench in one place; BENCH_QUICK=1 shrinks them for iterating.
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
// The built CLI and daemon (`pnpm bench` builds first); the bench runs a copy of it.
export const OWL_DIST = `${REPO}packages/cli/dist`;
export const MARKER_APP = `${BENCH_DIR}fixtures/marker-app.cjs`;
export const FLOOD_APP = `${BENCH_DIR}fixtures/flood-app.cjs`;

// Pinned: the newest PM2 at the time of writing; its engines field says node >= 18.
export const PM2_VERSION = '7.0.4';

const quick = process.env.BENCH_QUICK === '1';

export const SETTINGS = Object.freeze({
  quick,
  // Figures to run, e.g. BENCH_ONLY=1,4 (default: all).
  only: (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean).map(Number),
  fleetReps: quick ? 2 : 5,
  fewApps: 10,
  manyApps: quick ? 20 : 100,
  listCallsPerRep: quick ? 5 : 10,
  idleMs: quick ? 10_000 : 60_000,
  crashKills: quick ? 4 : 12,
  floodMs: quick ? 3_000 : 10_000,
  floodReps: quick ? 1 : 3,
  killApps: 20,
  killReps: quick ? 1 : 3,
  rpcApps: 10,
  rpcMs: quick ? 2_000 : 5_000,
  rpcReps: quick ? 1 : 3,
  clusterKills: quick ? 3 : 10,
  clusterStepDowns: quick ? 2 : 5,
  simNodes: quick ? 200 : 1_000,
  simMs: quick ? 10_000 : 30_000,
});

export function runsFigure(number) {
  return SETTINGS.only.length === 0 || SETTINGS.only.includes(number);
}
