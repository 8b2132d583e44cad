import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FleetCommandRow } from '@owl/rpc';
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './cluster-keys.ts';
import { fieldsOf, signPayload, verifyEnvelope } from './cluster-signing.ts';
import { requireTargets, type FleetCommand, type TargetSelector } from './fleet-command.ts';
import type { FleetResult } from './command-consumer.ts';
import type { Member } from './read-members.ts';

const COMMANDS_MAX = 1_000;
/** After a failed read (Redis blinked), wait this long before blocking again. */
const RETRY_AFTER_ERROR_MS = 250;

export interface IssueRequest extends TargetSelector {
  action: FleetCommand['action'];
  app: string;
  wait: boolean;
  timeout: number;
  ttl: number;
  subject: string;
}

interface Target {
  id: string;
  alias: string;
  labels: Record<string, string>;
  online: boolean;
}

function targetsOf(members: readonly Member[]): Target[] {
  return members.map((member) => ({ id: member.id, alias: member.identity?.alias ?? member.id, labels: member.identity?.labels ?? {}, online: member.record !== null }));
}

/** Queues one signed command per chosen node, then (unless told not to) waits for every node's result. */
export async function issueFleetCommand(redis: Redis, readers: ResultReaders, keys: ClusterKeys, clusterKey: Uint8Array, selfId: string, members: readonly Member[], request: IssueRequest): Promise<{ id: string; rows: FleetCommandRow[] }> {
  const targets = requireTargets(targetsOf(members), request);
  const last = await redis.xrevrange(keys.results, '+', '-', 'COUNT', 1);
  const cursor = last[0]?.[0] ?? '0-0';
  const id = randomUUID();
  const issuedAt = Date.now();
  for (const target of targets) {
    const command: FleetCommand = { id, nodeId: target.id, action: request.action, app: request.app, issuedBy: { node: selfId, subject: request.subject }, issuedAt, expiresAt: issuedAt + request.ttl };
    const { body, sig } = signPayload(clusterKey, command);
    await redis.xadd(keys.commands(target.id), 'MAXLEN', '~', COMMANDS_MAX, '*', 'body', body, 'sig', sig);
  }
  const waitedFrom = Date.now();
  const results = request.wait ? await awaitResults(readers, keys, clusterKey, id, targets.map((target) => target.id), cursor, issuedAt + request.timeout) : new Map<string, FleetResult>();
  const rows = targets.map((target): FleetCommandRow => {
    const result = results.get(target.id);
    if (result) return { nodeId: target.id, node: target.alias, status: result.status, message: result.message };
    if (!request.wait) return { nodeId: target.id, node: target.alias, status: 'queued', message: target.online ? 'queued' : 'queued; the node is offline and runs it when it returns unless it expires' };
    const why = target.online ? 'no result in time' : 'node offline; it runs the command when it returns unless it expires';
    // The wait ends early when this node stops or leaves the cluster: say so rather than claim the full timeout.
    const waited = readers.isStopped() ? `this node stopped waiting after ${Math.round((Date.now() - waitedFrom) / 1000)}s: it left the cluster or stopped` : `waited ${Math.round(request.timeout / 1000)}s`;
    return { nodeId: target.id, node: target.alias, status: 'timeout', message: `${why} (${waited})` };
  });
  return { id, rows };
}

/**
 * Dedicated connections for blocking reads of the results stream, one per waiting command:
 * a result is seen the moment it is written. `closeAll` cuts every wait short (node stop).
 */
export class ResultReaders {
  readonly #template: Redis;
  readonly #open = new Set<Redis>();
  #closed = false;

  /** `template` is duplicated for each wait: a connection without a command timeout (blocking reads outlast it). */
  constructor(template: Redis) {
    this.#template = template;
  }

  async open(): Promise<Redis | null> {
    if (this.#closed) return null;
    const reader = this.#template.duplicate();
    reader.on('error', () => undefined);
    this.#open.add(reader);
    await reader.connect().catch(() => undefined);
    return reader;
  }

  release(reader: Redis): void {
    this.#open.delete(reader);
    reader.disconnect(false);
  }

  isClosed(reader: Redis): boolean {
    return this.#closed || !this.#open.has(reader);
  }

  /** True once the node stopped: every wait was cut short. */
  isStopped(): boolean {
    return this.#closed;
  }

  closeAll(): void {
    this.#closed = true;
    for (const reader of this.#open) reader.disconnect(false);
    this.#open.clear();
  }
}

/** Blocks on the results stream after `cursor` until every target answered or the deadline passed. */
async function awaitResults(readers: ResultReaders, keys: ClusterKeys, clusterKey: Uint8Array, commandId: string, targetIds: readonly string[], cursor: string, deadline: number): Promise<Map<string, FleetResult>> {
  const results = new Map<string, FleetResult>();
  const reader = await readers.open();
  if (!reader) return results;
  let after = cursor;
  try {
    while (results.size < targetIds.length && !readers.isClosed(reader)) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let reply: Array<[string, Array<[string, string[]]>]> | null;
      try {
        // BLOCK 0 would wait forever: never less than 1 ms.
        reply = (await reader.xread('COUNT', 500, 'BLOCK', Math.max(1, left), 'STREAMS', keys.results, after)) as typeof reply;
      } catch {
        if (!readers.isClosed(reader)) await sleep(Math.min(RETRY_AFTER_ERROR_MS, Math.max(0, deadline - Date.now())));
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [entryId, flat] of entries) {
          after = entryId;
          const fields = fieldsOf(flat);
          const result = verifyEnvelope(clusterKey, fields.body, fields.sig) as FleetResult | undefined;
          if (result?.commandId === commandId && targetIds.includes(result.nodeId)) results.set(result.nodeId, result);
        }
      }
    }
  } finally {
    readers.release(reader);
  }
  return results;
}
