import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export async function fsyncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory for fsync; rename there is already durable enough.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The temp file a write of `file` goes through before its rename. */
export function tempFileOf(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/** Writes the content itself into the temp file's open handle (from its start, in order). */
export type ContentWriter = (handle: FileHandle) => Promise<void>;

/**
 * Write temp, fsync, rename over the target, fsync the directory: readers see old or new, never
 * half. A failed write (disk full, I/O error) removes its temp file, so none is left behind.
 * Content given in parts is written part after part, each made when the previous one is out:
 * a large file never has to be whole in memory.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array | Iterable<Uint8Array> | ContentWriter): Promise<void> {
  const temp = tempFileOf(file);
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      if (typeof content === 'function') await content(handle);
      // writeFile on an open handle goes on from where the last part ended, writing all of it.
      else for (const part of typeof content === 'string' || content instanceof Uint8Array ? [content] : content) await handle.writeFile(part);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(path.dirname(file));
}

/**
 * Removes temp files an earlier process left beside `file` when it was killed mid-write
 * (`<file>.<pid>.tmp`). Only our own naming is touched.
 */
export async function removeStaleTempFiles(file: string): Promise<string[]> {
  const directory = path.dirname(file);
  const base = path.basename(file);
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.prev)?\\.\\d+\\.tmp$`);
  const names = await readdir(directory).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!pattern.test(name)) continue;
    await rm(path.join(directory, name), { force: true }).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}
