import { OwlError } from '@owl/rpc';
import * as z from 'zod';
import { fieldsOf, verifyEnvelope } from './cluster-signing.ts';

export const FleetCommandSchema = z.object({
  id: z.string().min(1),
  nodeId: z.string().min(1),
  action: z.enum(['start', 'stop', 'restart']),
  app: z.string().min(1),
  issuedBy: z.object({ node: z.string(), subject: z.string() }),
  issuedAt: z.number(),
  expiresAt: z.number(),
});
export type FleetCommand = z.output<typeof FleetCommandSchema>;

export type CommandDecision =
  | { readonly decision: 'run'; readonly command: FleetCommand }
  | { readonly decision: 'expired'; readonly command: FleetCommand }
  | { readonly decision: 'done_before'; readonly command: FleetCommand }
  | { readonly decision: 'forged'; readonly reason: string };

/**
 * Decides what a node does with one entry of its command stream. Pure: the signature, the
 * address, what this node already handled (remembered across its restarts) and the clock
 * decide; nothing in the entry is trusted before its HMAC checks out.
 */
export function acceptCommand(flat: readonly string[], clusterKey: Uint8Array, nodeId: string, handled: ReadonlySet<string>, now: number): CommandDecision {
  const fields = fieldsOf(flat);
  const payload = verifyEnvelope(clusterKey, fields.body, fields.sig);
  if (payload === undefined) return { decision: 'forged', reason: fields.sig === undefined ? 'no signature' : 'signature does not match the cluster key' };
  const parsed = FleetCommandSchema.safeParse(payload);
  if (!parsed.success) return { decision: 'forged', reason: 'signed, but not a fleet command' };
  const command = parsed.data;
  // A correctly signed command copied into another node's stream must not run there.
  if (command.nodeId !== nodeId) return { decision: 'forged', reason: `addressed to node ${command.nodeId}` };
  if (handled.has(command.id)) return { decision: 'done_before', command };
  if (now >= command.expiresAt) return { decision: 'expired', command };
  return { decision: 'run', command };
}

export interface TargetCandidate {
  readonly id: string;
  readonly alias: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface TargetSelector {
  readonly nodes?: readonly string[] | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly all: boolean;
}

/** The nodes a selector names: by id or alias, by every label given, or all. Names that match no node are returned apart. */
export function selectTargets<T extends TargetCandidate>(candidates: readonly T[], selector: TargetSelector): { targets: T[]; unknown: string[] } {
  if (selector.all) return { targets: [...candidates], unknown: [] };
  if (selector.nodes && selector.nodes.length > 0) {
    const unknown = selector.nodes.filter((name) => !candidates.some((candidate) => candidate.id === name || candidate.alias === name));
    return { targets: candidates.filter((candidate) => selector.nodes?.includes(candidate.id) || selector.nodes?.includes(candidate.alias)), unknown };
  }
  const wanted = (selector.labels ?? []).map((label) => label.split('=', 2) as [string, string]);
  return { targets: candidates.filter((candidate) => wanted.length > 0 && wanted.every(([key, value]) => candidate.labels[key] === value)), unknown: [] };
}

/** The nodes a selector names, or the error an operator sees: no selector (usage), an unknown name or no match (not found). */
export function requireTargets<T extends TargetCandidate>(candidates: readonly T[], selector: TargetSelector): T[] {
  if (!selector.all && !(selector.nodes?.length) && !(selector.labels?.length)) {
    throw new OwlError('OWL_USAGE', 'choose the nodes: --nodes a,b, --label k=v or --all');
  }
  const { targets, unknown } = selectTargets(candidates, selector);
  if (unknown.length > 0) throw new OwlError('OWL_NOT_FOUND', `no node named ${unknown.map((name) => `"${name}"`).join(', ')} in the cluster (see owl cluster nodes)`);
  if (targets.length === 0) throw new OwlError('OWL_NOT_FOUND', 'no node of the cluster matches the labels given (see owl cluster nodes)');
  return targets;
}
