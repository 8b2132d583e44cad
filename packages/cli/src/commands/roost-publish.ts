import { open } from 'node:fs/promises';
import path from 'node:path';
import type { RpcClient } from '@owl/rpc';
import { ROOST_LIMITS } from '@owl/rpc/contract';
import type { ScannedFolder } from '@owl/daemon/roost';

export interface PublishOutcome {
  roost: string;
  versionId: string;
  previous: string | null;
  files: number;
  bytes: number;
  /** Distinct chunks of the version, and how many of them (and bytes) had to be sent. */
  chunks: number;
  uploaded: number;
  uploadedBytes: number;
  /** Running apps bound to the roost, restarted after the switch. */
  restarted: string[];
}

async function readChunk(where: { file: string; offset: number; size: number }): Promise<Buffer> {
  const handle = await open(where.file, 'r');
  try {
    const data = Buffer.alloc(where.size);
    const { bytesRead } = await handle.read(data, 0, where.size, where.offset);
    if (bytesRead !== where.size) throw new Error(`${where.file} changed while it was being published (short read at ${where.offset})`);
    return data;
  } finally {
    await handle.close();
  }
}

/** Sends the missing chunks in calls of at most ROOST_LIMITS.maxUploadBytes raw bytes, so every frame stays under the RPC limit. */
async function uploadMissing(client: RpcClient, scanned: ScannedFolder, missing: readonly string[]): Promise<number> {
  let batch: Array<{ hash: string; data: string }> = [];
  let batchBytes = 0;
  let sent = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await client.call('roost.upload', { chunks: batch });
    batch = [];
    batchBytes = 0;
  };
  for (const hash of missing) {
    const where = scanned.chunkAt.get(hash);
    if (!where) throw new Error(`the daemon asked for chunk ${hash}, which this folder does not hold`);
    if (batchBytes + where.size > ROOST_LIMITS.maxUploadBytes) await flush();
    batch.push({ hash, data: (await readChunk(where)).toString('base64') });
    batchBytes += where.size;
    sent += where.size;
  }
  await flush();
  return sent;
}

/**
 * Publishes a folder: cut and hash it here, let the daemon check the body and name the chunks
 * it lacks, send only those, then commit (the daemon assembles and switches).
 */
export async function publishFolder(client: RpcClient, folder: string, roost: string): Promise<PublishOutcome> {
  // Loaded only for a publish: chunking code is not needed by any other command.
  const { scanFolder } = await import('@owl/daemon/roost');
  const scanned = await scanFolder(path.resolve(folder));
  const { versionId, missing } = await client.call('roost.prepare', { roost, body: scanned.body });
  const uploadedBytes = await uploadMissing(client, scanned, missing);
  const result = await client.call('roost.commit', { roost, versionId });
  return { ...result, chunks: scanned.chunkAt.size, uploaded: missing.length, uploadedBytes };
}
