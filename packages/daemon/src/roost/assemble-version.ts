import { chmod, mkdir, open, rename, rm, stat, symlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import type { RoostVersionBody } from '@owl/rpc/contract';
import { fsyncDirectory } from '../state/atomic-write.ts';
import type { ChunkSource } from './chunk-store.ts';

async function exists(target: string): Promise<boolean> {
  return stat(target).then(() => true, () => false);
}

/** Joins a checked body path onto `base`, refusing anything that resolves outside it (after the allowlist, a second lock). */
function destinationOf(base: string, filePath: string): string {
  const destination = path.resolve(base, ...filePath.split('/'));
  if (!destination.startsWith(`${base}${path.sep}`)) throw new OwlError('OWL_INVALID_PARAMS', `roost path ${JSON.stringify(filePath)} refused: it resolves outside the version folder`);
  return destination;
}

async function writeFileFromChunks(destination: string, file: RoostVersionBody['files'][number], source: ChunkSource): Promise<void> {
  // 'wx': a fresh staging folder holds nothing, so an existing entry means something raced us.
  const handle = await open(destination, 'wx', 0o600);
  try {
    for (const chunk of file.chunks) {
      const data = await source.read(chunk.hash);
      if (!data || data.length !== chunk.size) throw new OwlError('OWL_NOT_FOUND', `roost file "${file.path}": chunk ${chunk.hash} is missing from the store`);
      await handle.write(data);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(destination, file.mode);
}

/**
 * Builds the version's tree in a fresh staging folder (every file and folder fsynced), then
 * renames it into `tree` in one step: a tree that exists is always complete. A crash leaves
 * at most a staging folder, removed by the next assembly's cleanup.
 */
export async function assembleVersion(body: RoostVersionBody, source: ChunkSource, stagingRoot: string, tree: string): Promise<void> {
  if (await exists(tree)) return;
  await mkdir(stagingRoot, { recursive: true });
  const staging = path.join(stagingRoot, `${path.basename(tree)}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o755 });
  try {
    const folders = new Set<string>([staging]);
    for (const file of body.files) {
      const destination = destinationOf(staging, file.path);
      await mkdir(path.dirname(destination), { recursive: true, mode: 0o755 });
      for (let folder = path.dirname(destination); folder !== staging; folder = path.dirname(folder)) folders.add(folder);
      await writeFileFromChunks(destination, file, source);
    }
    for (const folder of folders) await fsyncDirectory(folder);
    await mkdir(path.dirname(tree), { recursive: true });
    await rename(staging, tree);
    await fsyncDirectory(path.dirname(tree));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Points the roost's link at `tree` in one step: a new link beside it, renamed over the old
 * one, so a reader opens either the old version or the new one, never a mix. On Windows the
 * link is a junction, and a junction cannot be renamed over another: there the old one is
 * removed first, leaving a moment with no link (never a mixed tree).
 */
export async function pointLink(link: string, tree: string): Promise<void> {
  const next = `${link}.owl-next-${randomBytes(4).toString('hex')}`;
  await symlink(tree, next, process.platform === 'win32' ? 'junction' : 'dir');
  try {
    await rename(next, link);
  } catch (error) {
    if (process.platform !== 'win32') {
      await rm(next, { force: true });
      throw error;
    }
    await rm(link, { force: true });
    await rename(next, link);
  }
  await fsyncDirectory(path.dirname(link));
}
