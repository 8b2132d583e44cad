import type { z } from 'zod';
import type { Role } from './roles.ts';

/** How a method is declared: its schemas as functions, so none is built before it is needed. */
export interface MethodDeclaration<P extends z.ZodType, R extends z.ZodType> {
  params: () => P;
  result: () => R;
  role: Role;
  stream?: boolean;
  summary: string;
}

export interface MethodDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** Validated once at the plane; handlers receive the parsed, defaulted value. Built on first read. */
  readonly params: P;
  /** Documents (and lets tests check) what the handler returns. Built on first read; the daemon never reads it. */
  readonly result: R;
  /** Minimum role a caller needs; the management plane acts as admin. */
  readonly role: Role;
  /** A subscription: the result is `{ subscription }`, data arrives as notifications. */
  readonly stream?: boolean;
  readonly summary: string;
}

const NOT_BUILT: unique symbol = Symbol('not built');

/** Which schemas of each definition have been built (for tests and the memory profile). */
const builtSchemas = new WeakMap<MethodDefinition, { params: boolean; result: boolean }>();

/**
 * A schema built by `build` on the first call and the same object on every later one. The
 * contract's zod schemas cost ~3 MiB of heap when all are built; a daemon needs the params
 * schemas of the methods it is called with, and no result schema at all.
 * @example
 *   export const tokenInfoSchema = lazySchema(() => z.object({ id: z.string() }));
 *   tokenInfoSchema().parse(value);
 */
export function lazySchema<S>(build: () => S): () => S {
  let schema: S | typeof NOT_BUILT = NOT_BUILT;
  return () => (schema === NOT_BUILT ? (schema = build()) : schema);
}

/**
 * One method of the contract. `params` and `result` are read like plain schemas
 * (`methods['apps.list'].params.parse(...)`), but each is built on its first read only.
 */
export function defineMethod<P extends z.ZodType, R extends z.ZodType>(declaration: MethodDeclaration<P, R>): MethodDefinition<P, R> {
  const built = { params: false, result: false };
  const params = lazySchema(() => ((built.params = true), declaration.params()));
  const result = lazySchema(() => ((built.result = true), declaration.result()));
  const definition: MethodDefinition<P, R> = Object.freeze({
    get params() {
      return params();
    },
    get result() {
      return result();
    },
    role: declaration.role,
    ...(declaration.stream === undefined ? {} : { stream: declaration.stream }),
    summary: declaration.summary,
  });
  builtSchemas.set(definition, built);
  return definition;
}

/** True once `definition`'s params (or result) schema has been built. */
export function isSchemaBuilt(definition: MethodDefinition, which: 'params' | 'result'): boolean {
  return builtSchemas.get(definition)?.[which] ?? false;
}
