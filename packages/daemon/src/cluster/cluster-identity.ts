import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import { ensureKeysDirectory, readOrCreateSecretFile } from '../auth/keys-directory.ts';
import { writeFileAtomic } from '../state/atomic-write.ts';

export const CLUSTER_KEY_FILE = 'cluster.key';
const KEY_BYTES = 32;

/** `<home>/node-id`: made once, so a node keeps its identity across restarts and re-joins. */
export async function loadNodeId(home: string): Promise<string> {
  const { content } = await readOrCreateSecretFile(path.join(home, 'node-id'), () => `${randomUUID().replaceAll('-', '')}\n`);
  return content.trim();
}

/** Reads keys/cluster.key (0600); creates a random one when `create` and none exists. */
export async function loadClusterKey(keysDirectory: string, create: boolean): Promise<Uint8Array> {
  await ensureKeysDirectory(keysDirectory);
  const file = path.join(keysDirectory, CLUSTER_KEY_FILE);
  if (!create) {
    const text = await readFile(file, 'utf8').catch((error: unknown) => {
      throw new OwlError('OWL_CONFIG_INVALID', `${file} cannot be read (${(error as Error).message}); join the cluster again with owl cluster join <token>`, { cause: error });
    });
    return decodeKey(file, text);
  }
  const { content } = await readOrCreateSecretFile(file, () => `${randomBytes(KEY_BYTES).toString('base64url')}\n`);
  return decodeKey(file, content);
}

/** A fresh random cluster key (for `owl cluster init` of a new cluster). */
export function newClusterKey(): Uint8Array {
  return new Uint8Array(randomBytes(KEY_BYTES));
}

/** Writes the key a join token carries, replacing any key of an earlier cluster. */
export async function writeClusterKey(keysDirectory: string, key: Uint8Array): Promise<void> {
  await ensureKeysDirectory(keysDirectory);
  await writeFileAtomic(path.join(keysDirectory, CLUSTER_KEY_FILE), `${Buffer.from(key).toString('base64url')}\n`);
}

function decodeKey(file: string, text: string): Uint8Array {
  const key = new Uint8Array(Buffer.from(text.trim(), 'base64url'));
  if (key.length < KEY_BYTES) throw new OwlError('OWL_CONFIG_INVALID', `${file} holds ${key.length} bytes, expected a base64url key of at least ${KEY_BYTES} bytes`);
  return key;
}
