import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import type { RoostFile, RoostVersionBody } from '@owl/rpc/contract';
import { chunkStream, DEFAULT_CHUNK_SIZES } from './chunking.ts';
import { ROOST_MEDIA_TYPE } from './version-body.ts';

/** A folder cut into a version body; `chunkFiles` says where each chunk's bytes are, to upload the missing ones. */
export interface ScannedFolder {
  body: RoostVersionBody;
  /** hash -> the file and offset that holds it (the first one, when several do). */
  chunkAt: Map<string, { file: string; offset: number; size: number }>;
}

/** Every regular file under `root`, as forward-slash relative paths, sorted. Symlinks are refused: what they point at is not part of the folder. */
async function listFiles(root: string, relative: string = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isSymbolicLink()) throw new OwlError('OWL_USAGE', `${path.join(root, child)} is a symlink: a roost holds regular files only`);
    if (entry.isDirectory()) files.push(...(await listFiles(root, child)));
    else if (entry.isFile()) files.push(child);
    else throw new OwlError('OWL_USAGE', `${path.join(root, child)} is not a regular file or folder`);
  }
  return files.sort();
}

/**
 * Cuts every file of `root` into content-defined chunks and hashes them. Reads each file once,
 * streaming; only hashes and offsets are kept, so memory stays flat for big folders.
 */
export async function scanFolder(root: string): Promise<ScannedFolder> {
  const info = await lstat(root).catch(() => null);
  if (!info?.isDirectory()) throw new OwlError('OWL_USAGE', `${root} is not a folder`);
  const chunkAt: ScannedFolder['chunkAt'] = new Map();
  const files: RoostFile[] = [];
  for (const relative of await listFiles(root)) {
    const file = path.join(root, ...relative.split('/'));
    const stats = await lstat(file);
    const chunks: RoostFile['chunks'] = [];
    let offset = 0;
    for await (const chunk of chunkStream(createReadStream(file, { highWaterMark: DEFAULT_CHUNK_SIZES.max }))) {
      chunks.push({ hash: chunk.hash, size: chunk.size });
      if (!chunkAt.has(chunk.hash)) chunkAt.set(chunk.hash, { file, offset, size: chunk.size });
      offset += chunk.size;
    }
    files.push({ path: relative, size: offset, mode: stats.mode & 0o777, chunks });
  }
  return { body: { schemaVersion: 1, mediaType: ROOST_MEDIA_TYPE, config: {}, files }, chunkAt };
}
