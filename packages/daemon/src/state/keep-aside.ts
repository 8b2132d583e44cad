import { readdir, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';

/** Corrupt copies of a state file kept for inspection: the newest few, each cut to a size. */
export const KEPT_ASIDE_LIMITS: Readonly<KeptAsideLimits> = Object.freeze({ copies: 5, bytesPerCopy: 4 * 1024 * 1024 });

export interface KeptAsideLimits {
  copies: number;
  bytesPerCopy: number;
}

/** `state.json.corrupt-2026-01-01T00-00-00-000Z`: the name's time sorts like the time itself. */
function isKeptAside(base: string, name: string): boolean {
  return name.startsWith(`${base}.corrupt-`);
}

/**
 * Bounds the corrupt copies kept beside `file`: only the newest `copies` stay, and each is cut
 * to `bytesPerCopy` (enough to see what went wrong; a runaway file cannot fill the disk).
 */
export async function boundKeptAside(file: string, limits: Readonly<KeptAsideLimits> = KEPT_ASIDE_LIMITS): Promise<void> {
  const directory = path.dirname(file);
  const base = path.basename(file);
  const names = (await readdir(directory).catch(() => [] as string[])).filter((name) => isKeptAside(base, name)).sort();
  const excess = names.length - limits.copies;
  for (const [index, name] of names.entries()) {
    const copy = path.join(directory, name);
    if (index < excess) {
      await rm(copy, { force: true }).catch(() => undefined);
      continue;
    }
    const size = (await stat(copy).catch(() => undefined))?.size ?? 0;
    if (size > limits.bytesPerCopy) await truncate(copy, limits.bytesPerCopy).catch(() => undefined);
  }
}
