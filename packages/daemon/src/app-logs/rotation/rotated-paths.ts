import { readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Rotated generations of a live log: `out.log.1` is the newest, `out.log.<keep>` the oldest.
 *
 * @example
 * rotatedPath('/home/.owl/logs/web/out.log', 2); // '/home/.owl/logs/web/out.log.2'
 */
export function rotatedPath(live: string, generation: number): string {
  return `${live}.${generation}`;
}

/** Where the next `.1` is assembled before it is renamed into place. */
export function partialPath(live: string): string {
  return `${live}.1.partial`;
}

/** Written while a rotation has writers paused, so a crash mid-rotation can be finished at boot. */
export function journalPath(live: string): string {
  return `${live}.rotating.json`;
}

/** The generation numbers that exist next to `live`, ascending (newest first). */
export function existingGenerations(live: string): number[] {
  const base = path.basename(live);
  let names: string[];
  try {
    names = readdirSync(path.dirname(live));
  } catch {
    return [];
  }
  const generations: number[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const suffix = name.slice(base.length + 1);
    if (/^[1-9]\d*$/.test(suffix)) generations.push(Number(suffix));
  }
  return generations.sort((a, b) => a - b);
}

/**
 * Makes room for a new `.1`: deletes generations that would pass `keep` and renames the rest
 * one up, oldest first so nothing is overwritten. Synchronous: it runs while writers are paused.
 */
export function shiftGenerationsSync(live: string, keep: number): void {
  const generations = existingGenerations(live);
  for (const generation of generations) {
    if (generation >= keep) rmSync(rotatedPath(live, generation), { force: true });
  }
  for (const generation of generations.filter((generation) => generation < keep).reverse()) {
    renameSync(rotatedPath(live, generation), rotatedPath(live, generation + 1));
  }
}
