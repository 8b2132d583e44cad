import type { z } from 'zod';
import { daemonMethods } from './daemon-methods.ts';
import { appMethods } from './app-methods.ts';
import { eventMethods } from './event-methods.ts';
import { logMethods } from './log-methods.ts';
import { tokenMethods } from './token-methods.ts';
import { metricsMethods } from './metrics-methods.ts';
import { auditMethods } from './audit-methods.ts';
import { clusterMethods } from './cluster-methods.ts';
import { roostMethods } from './roost-methods.ts';

export { planeInfoSchema } from './daemon-methods.ts';
export * from './token-methods.ts';

/**
 * The contract between every client and the daemon: method name -> params, result,
 * minimum role. Handlers in the daemon implement exactly this map. Each domain keeps its
 * methods in its own file.
 */
export const methods = {
  ...daemonMethods,
  ...appMethods,
  ...eventMethods,
  ...logMethods,
  ...tokenMethods,
  ...metricsMethods,
  ...auditMethods,
  ...clusterMethods,
  ...roostMethods,
} as const;


export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsInput<M extends MethodName> = z.input<Methods[M]['params']>;
export type Params<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
