// The soak's 100 apps: stable services, crash loops, operator-driven apps and one paced flood.
import { SOAK } from './soak-settings.mjs';

export function soakApps({ markerApp, crashApp, floodApp, markerDir }) {
  const env = (name, extra = {}) => ({ MARKER_DIR: markerDir, BENCH_APP: name, ...extra });
  const apps = [];
  for (let i = 0; i < SOAK.stable; i += 1) {
    const name = `stable-${i}`;
    apps.push({ name, script: markerApp, env: env(name) });
  }
  for (let i = 0; i < SOAK.crashers; i += 1) {
    const name = `crash-${i}`;
    // Runs longer than minUptime, so the loop restarts at once and never spends its budget.
    apps.push({ name, script: crashApp, env: env(name, { CRASH_AFTER_MS: String(3_000 + i * 700) }), owl: { restart: { minUptime: '1s' } } });
  }
  for (let i = 0; i < SOAK.operated; i += 1) {
    const name = `operated-${i}`;
    apps.push({ name, script: markerApp, env: env(name) });
  }
  apps.push({
    name: 'flood',
    script: floodApp,
    env: env('flood', { FLOOD_MS: String(SOAK.durationMs), LINES_PER_SECOND: String(SOAK.floodLinesPerSecond) }),
    owl: { logs: { maxSize: SOAK.floodMaxSize, keep: SOAK.floodKeep } },
  });
  return apps;
}

/** The operator's next command: restart, stop, start again, across the operated apps. */
export function operatorCommand(step) {
  const app = `operated-${Math.floor(step / 3) % SOAK.operated}`;
  return [['restart', app], ['stop', app], ['start', app]][step % 3];
}
