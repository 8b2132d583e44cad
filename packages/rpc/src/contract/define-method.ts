import type { z } from 'zod';
import type { Role } from './roles.ts';

export interface MethodDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** Validated once at the plane; handlers receive the parsed, defaulted value. */
  params: P;
  /** Documents (and lets tests check) what the handler returns. */
  result: R;
  /** Minimum role a caller needs; the management plane acts as admin. */
  role: Role;
  /** A subscription: the result is `{ subscription }`, data arrives as notifications. */
  stream?: boolean;
  summary: string;
}

export function defineMethod<P extends z.ZodType, R extends z.ZodType>(
  definition: MethodDefinition<P, R>,
): MethodDefinition<P, R> {
  return Object.freeze(definition);
}
