import type { Redis } from 'ioredis';
import type { ClusterKeys } from './cluster-keys.ts';
import { openStoredEnvelope } from './cluster-signing.ts';
import { NodeRecordSchema, type NodeRecord } from './node-record.ts';

export interface Member {
  id: string;
  /** Last heartbeat time written to the registry (ms since epoch). */
  lastSeen: number;
  /** The live heartbeat record; null when it expired (offline) or is not signed with the cluster key. */
  record: NodeRecord | null;
  forged: boolean;
}

/** Every node in the registry with its heartbeat record, verified. */
export async function readMembers(redis: Redis, keys: ClusterKeys, clusterKey: Uint8Array): Promise<Member[]> {
  const flat = await redis.zrange(keys.nodes, 0, -1, 'WITHSCORES');
  const ids: string[] = [];
  const seen: number[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    ids.push(flat[index] as string);
    seen.push(Number(flat[index + 1]));
  }
  if (ids.length === 0) return [];
  const values = await redis.mget(...ids.map((id) => keys.node(id)));
  return ids.map((id, index) => {
    const value = values[index];
    if (!value) return { id, lastSeen: seen[index] ?? 0, record: null, forged: false };
    const parsed = NodeRecordSchema.safeParse(openStoredEnvelope(clusterKey, value));
    const record = parsed.success && parsed.data.id === id ? parsed.data : null;
    return { id, lastSeen: seen[index] ?? 0, record, forged: record === null };
  });
}
