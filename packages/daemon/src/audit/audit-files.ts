import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** `audit.log.3` for n = 3: rotated generations, higher is older. */
export function rotatedAuditFile(activeFile: string, generation: number): string {
  return `${activeFile}.${generation}`;
}

/**
 * The audit files that exist, oldest first: audit.log.N ... audit.log.1, audit.log. The
 * chain runs through them in this order.
 */
export async function listAuditFiles(activeFile: string): Promise<string[]> {
  const directory = path.dirname(activeFile);
  const base = path.basename(activeFile);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const generations: number[] = [];
  for (const name of names) {
    const match = name.startsWith(`${base}.`) ? /^\d+$/.exec(name.slice(base.length + 1)) : null;
    if (match) generations.push(Number(match[0]));
  }
  generations.sort((a, b) => b - a);
  const files = generations.map((generation) => rotatedAuditFile(activeFile, generation));
  if (names.includes(base)) files.push(activeFile);
  return files;
}

/**
 * Shifts audit.log.(n) to .(n+1), dropping the one past `keep`, and moves the active file to
 * audit.log.1. Renames only: the chain's hashes cross the file boundary untouched.
 */
export async function rotateAuditFiles(activeFile: string, keep: number): Promise<void> {
  await rm(rotatedAuditFile(activeFile, keep), { force: true });
  for (let generation = keep - 1; generation >= 1; generation -= 1) {
    await renameIfPresent(rotatedAuditFile(activeFile, generation), rotatedAuditFile(activeFile, generation + 1));
  }
  await renameIfPresent(activeFile, rotatedAuditFile(activeFile, 1));
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
