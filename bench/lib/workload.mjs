// The apps both tools run, described once and translated by each tool.
import { MARKER_APP } from './settings.mjs';

/**
 * `count` marker apps named <prefix>-<i>. `owl`/`pm2` hold per-tool settings a figure needs
 * (each documented where it is used), merged into that tool's app declaration.
 */
export function markerApps(prefix, count, markerDir, { owl = {}, pm2 = {} } = {}) {
  return Array.from({ length: count }, (_, index) => {
    const name = `${prefix}-${index}`;
    return { name, script: MARKER_APP, env: { MARKER_DIR: markerDir, BENCH_APP: name }, owl, pm2 };
  });
}
