import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import { sha256Hex } from './chunking.ts';

/**
 * Where chunk bytes come from. The local store is one; a later rollout adds a peer over the
 * TCP plane and a previous version on disk behind the same interface, so sync code never
 * cares where bytes come from.
 */
export interface ChunkSource {
  read(hash: string): Promise<Buffer | null>;
}

/** `<home>/roost/chunks/ab/<sha256>`: immutable files named by the sha256 of their bytes. */
export class ChunkStore implements ChunkSource {
  readonly directory: string;

  constructor(directory: string) {
    this.directory = directory;
  }

  pathOf(hash: string): string {
    return path.join(this.directory, hash.slice(0, 2), hash);
  }

  async has(hash: string): Promise<boolean> {
    return stat(this.pathOf(hash)).then(() => true, () => false);
  }

  async read(hash: string): Promise<Buffer | null> {
    return readFile(this.pathOf(hash)).catch(() => null);
  }

  /** Verifies the bytes against `hash`, then writes temp, fsync, rename: a torn chunk never carries a real name. */
  async put(hash: string, data: Buffer): Promise<void> {
    const actual = sha256Hex(data);
    if (actual !== hash) throw new OwlError('OWL_INVALID_PARAMS', `chunk ${hash} refused: its ${data.length} bytes hash to ${actual}`, { data: { hash } });
    if (await this.has(hash)) return;
    const file = this.pathOf(hash);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  }

  /** Deletes every chunk not in `keep` that is older than `graceMs` (a publish in flight may still need a young one). */
  async collect(keep: ReadonlySet<string>, graceMs: number, now: number = Date.now()): Promise<{ removed: number; bytes: number }> {
    let removed = 0;
    let bytes = 0;
    const prefixes = await readdir(this.directory).catch(() => [] as string[]);
    for (const prefix of prefixes) {
      const folder = path.join(this.directory, prefix);
      for (const name of await readdir(folder).catch(() => [] as string[])) {
        if (keep.has(name)) continue;
        const file = path.join(folder, name);
        const info = await stat(file).catch(() => null);
        if (!info || now - info.mtimeMs < graceMs) continue;
        await rm(file, { force: true });
        removed += 1;
        bytes += info.size;
      }
    }
    return { removed, bytes };
  }
}
