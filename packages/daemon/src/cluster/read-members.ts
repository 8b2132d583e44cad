import type { Redis } from 'ioredis';
import * as z from 'zod';
import type { ClusterKeys } from './cluster-keys.ts';
import { openStoredEnvelope } from './cluster-signing.ts';
import { NodeRecordSchema, type NodeRecord } from './node-record.ts';

export interface MemberIdentity {
  alias: string;
  labels: Record<string, string>;
  address: string | null;
  /** sha256 of the TCP plane's TLS certificate; null for a plain (ws://) plane or none. */
  fingerprint: string | null;
}

const IdentitySchema = z.object({ id: z.string(), alias: z.string(), labels: z.record(z.string(), z.string()), address: z.string().nullable(), fingerprint: z.string().nullable().optional() });

export interface Member {
  id: string;
  /** Who the node says it is; kept while it is offline (null when never signed correctly). */
  identity: MemberIdentity | null;
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
  const [values, identities] = await Promise.all([redis.mget(...ids.map((id) => keys.node(id))), redis.hmget(keys.members, ...ids)]);
  return ids.map((id, index) => {
    const identityText = identities[index];
    const parsedIdentity = identityText ? IdentitySchema.safeParse(openStoredEnvelope(clusterKey, identityText)) : null;
    const identity = parsedIdentity?.success && parsedIdentity.data.id === id ? { alias: parsedIdentity.data.alias, labels: parsedIdentity.data.labels, address: parsedIdentity.data.address, fingerprint: parsedIdentity.data.fingerprint ?? null } : null;
    const value = values[index];
    if (!value) return { id, identity, lastSeen: seen[index] ?? 0, record: null, forged: false };
    const parsed = NodeRecordSchema.safeParse(openStoredEnvelope(clusterKey, value));
    const record = parsed.success && parsed.data.id === id ? parsed.data : null;
    return { id, identity, lastSeen: seen[index] ?? 0, record, forged: record === null };
  });
}
