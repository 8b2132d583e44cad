import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { OwlError, type FleetCommandRow } from '@owl/rpc';
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './cluster-keys.ts';
import { fieldsOf, signPayload, verifyEnvelope } from './cluster-signing.ts';
import { selectTargets, type FleetCommand, type TargetSelector } from './fleet-command.ts';
import type { FleetResult } from './command-consumer.ts';
import type { Member } from './read-members.ts';

const COMMANDS_MAX = 1_000;
const POLL_MS = 200;

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
export async function issueFleetCommand(redis: Redis, keys: ClusterKeys, clusterKey: Uint8Array, selfId: string, members: readonly Member[], request: IssueRequest): Promise<{ id: string; rows: FleetCommandRow[] }> {
  if (!request.all && !(request.nodes?.length) && !(request.labels?.length)) {
    throw new OwlError('OWL_USAGE', 'choose the nodes: --nodes a,b, --label k=v or --all');
  }
  const { targets, unknown } = selectTargets(targetsOf(members), request);
  if (unknown.length > 0) throw new OwlError('OWL_NOT_FOUND', `no node named ${unknown.map((name) => `"${name}"`).join(', ')} in the cluster (see owl cluster nodes)`);
  if (targets.length === 0) throw new OwlError('OWL_NOT_FOUND', 'no node of the cluster matches the labels given (see owl cluster nodes)');
  const last = await redis.xrevrange(keys.results, '+', '-', 'COUNT', 1);
  let cursor = last[0]?.[0] ?? '0-0';
  const id = randomUUID();
  const issuedAt = Date.now();
  for (const target of targets) {
    const command: FleetCommand = { id, nodeId: target.id, action: request.action, app: request.app, issuedBy: { node: selfId, subject: request.subject }, issuedAt, expiresAt: issuedAt + request.ttl };
    const { body, sig } = signPayload(clusterKey, command);
    await redis.xadd(keys.commands(target.id), 'MAXLEN', '~', COMMANDS_MAX, '*', 'body', body, 'sig', sig);
  }
  const results = new Map<string, FleetResult>();
  const deadline = issuedAt + request.timeout;
  while (request.wait && results.size < targets.length && Date.now() < deadline) {
    const entries = await redis.xrange(keys.results, `(${cursor}`, '+', 'COUNT', 500);
    for (const [entryId, flat] of entries) {
      cursor = entryId;
      const fields = fieldsOf(flat);
      const result = verifyEnvelope(clusterKey, fields.body, fields.sig) as FleetResult | undefined;
      if (result?.commandId === id && targets.some((target) => target.id === result.nodeId)) results.set(result.nodeId, result);
    }
    if (entries.length === 0) await sleep(POLL_MS);
  }
  const rows = targets.map((target): FleetCommandRow => {
    const result = results.get(target.id);
    if (result) return { nodeId: target.id, node: target.alias, status: result.status, message: result.message };
    if (!request.wait) return { nodeId: target.id, node: target.alias, status: 'queued', message: target.online ? 'queued' : 'queued; the node is offline and runs it when it returns unless it expires' };
    const why = target.online ? 'no result in time' : 'node offline; it runs the command when it returns unless it expires';
    return { nodeId: target.id, node: target.alias, status: 'timeout', message: `${why} (waited ${Math.round(request.timeout / 1000)}s)` };
  });
  return { id, rows };
}
