import { readFile } from 'node:fs/promises';
import { parseConfigJson, unreadableConfigError } from '@owl/rpc';
import { writeFileAtomic } from '../state/atomic-write.ts';

/**
 * Sets (or, for null, removes) the `cluster` block of config.json and keeps every other key.
 * Returns the previous text (null when there was no file) so a failed reload can put it back.
 */
export async function writeClusterBlock(file: string, block: Record<string, unknown> | null): Promise<string | null> {
  let previous: string | null = null;
  try {
    previous = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadableConfigError(file, error);
  }
  const current = previous === null ? {} : (parseConfigJson(file, previous) as Record<string, unknown>);
  const { cluster: _old, ...rest } = current;
  const next = block === null ? rest : { ...rest, cluster: block };
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  return previous;
}

/** Puts config.json back as it was before writeClusterBlock. */
export async function restoreConfig(file: string, previous: string | null): Promise<void> {
  await writeFileAtomic(file, previous ?? '{}\n');
}

/** The cluster block as config.json holds it now (null when none). */
export async function readClusterBlock(file: string): Promise<Record<string, unknown> | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const parsed = parseConfigJson(file, text) as { cluster?: Record<string, unknown> };
  return parsed.cluster ?? null;
}
