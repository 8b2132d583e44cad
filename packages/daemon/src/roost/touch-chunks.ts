import { utimes } from 'node:fs/promises';
import type { ChunkStore } from './chunk-store.ts';

/** Marks chunks a publish will reuse as young, so a GC running before its commit keeps them. */
export async function touchChunks(store: ChunkStore, hashes: readonly string[]): Promise<void> {
  const now = new Date();
  for (const hash of hashes) await utimes(store.pathOf(hash), now, now).catch(() => undefined);
}
