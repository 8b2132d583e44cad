import type { MethodName } from './methods.ts';
import { roleSatisfies, type Role, type SessionRole } from './roles.ts';

/** What one daemon may ask another: reads of its state, nothing that changes it. */
export const NODE_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'daemon.ping',
  'daemon.status',
  'apps.list',
  // `owl fleet logs`: the node the CLI talks to reads each target's recent lines.
  'logs.read',
  'metrics.get',
  'cluster.status',
  'cluster.nodes',
  'fleet.ls',
  'fleet.metrics',
]);

/** True when a session with `held` may call `method` (which needs `required`). */
export function sessionMayCall(held: SessionRole, method: MethodName, required: Role): boolean {
  if (held === 'node') return NODE_METHODS.has(method);
  return roleSatisfies(held, required);
}
