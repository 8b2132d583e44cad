export type Liveness = 'online' | 'offline';

export interface LivenessChange {
  readonly id: string;
  readonly status: Liveness;
}

/**
 * Decides who went online or offline since the last look. A node is online while its TTL'd,
 * correctly signed heartbeat record exists (3 missed beats and Redis drops it). Each change
 * is reported once; nodes that left the registry are forgotten without an event.
 */
export function detectLiveness(previous: Readonly<Record<string, Liveness>>, known: readonly string[], alive: ReadonlySet<string>): { next: Record<string, Liveness>; changes: LivenessChange[] } {
  const next: Record<string, Liveness> = {};
  const changes: LivenessChange[] = [];
  for (const id of known) {
    const status: Liveness = alive.has(id) ? 'online' : 'offline';
    next[id] = status;
    if (previous[id] !== status) changes.push({ id, status });
  }
  return { next, changes };
}
