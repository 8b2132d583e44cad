export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `held` is at least `required` (admin > operator > viewer). */
export function roleSatisfies(held: Role, required: Role): boolean {
  return RANK[held] >= RANK[required];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Daemons of one cluster call each other with short-lived tokens signed by the cluster key.
 * Their role stands outside the ladder: it reaches only the methods in NODE_METHODS.
 */
export const NODE_ROLE = 'node';
export type SessionRole = Role | typeof NODE_ROLE;
