import { z } from 'zod';
import { defineMethod } from './define-method.ts';
import { AppSpecInputSchema } from './app-spec.ts';
import { AppRowSchema, AppDetailSchema, ApplyResultSchema, TargetResultSchema } from './app-views.ts';
import { OwlEventSchema } from './events.ts';

const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });
const Subscription = z.object({ subscription: z.string() });
/** `all` or one app name; validated again against the app table by the daemon. */
const Target = z.strictObject({ target: z.string().min(1).max(64) });

export const PlaneInfoSchema = z.object({
  kind: z.enum(['local', 'tcp']),
  address: z.string(),
  tls: z.boolean().optional(),
  fingerprint: z.string().optional(),
});

/**
 * The contract between every client and the daemon: method name -> params, result,
 * minimum role. Handlers in the daemon implement exactly this map.
 */
export const methods = {
  'daemon.ping': defineMethod({
    params: Empty,
    result: z.object({ pong: z.literal(true), pid: z.number(), version: z.string() }),
    role: 'viewer',
    summary: 'Checks that the daemon answers.',
  }),
  'daemon.status': defineMethod({
    params: Empty,
    result: z.object({
      pid: z.number(),
      version: z.string(),
      home: z.string(),
      startedAt: z.string(),
      uptimeMs: z.number(),
      planes: z.array(PlaneInfoSchema),
      apps: z.object({ total: z.number(), running: z.number() }),
    }),
    role: 'viewer',
    summary: 'Reports the daemon, its planes and app counts.',
  }),
  'daemon.shutdown': defineMethod({
    params: z.strictObject({ withApps: z.boolean().default(false) }),
    result: Ok,
    role: 'admin',
    summary: 'Stops the daemon; apps keep running unless withApps is true.',
  }),
  'apps.list': defineMethod({
    params: Empty,
    result: z.array(AppRowSchema),
    role: 'viewer',
    summary: 'Lists every app instance with status and usage.',
  }),
  'apps.describe': defineMethod({
    params: z.strictObject({ name: z.string().min(1).max(64) }),
    result: AppDetailSchema,
    role: 'viewer',
    summary: 'Shows one app: spec, instances, last exits.',
  }),
  'apps.create': defineMethod({
    params: z.strictObject({ spec: AppSpecInputSchema, start: z.boolean().default(true) }),
    result: ApplyResultSchema,
    role: 'operator',
    summary: 'Creates an app (or updates it when the spec changed) and starts it.',
  }),
  'apps.start': defineMethod({ params: Target, result: TargetResultSchema, role: 'operator', summary: 'Starts an app or all.' }),
  'apps.stop': defineMethod({ params: Target, result: TargetResultSchema, role: 'operator', summary: 'Stops an app or all.' }),
  'apps.restart': defineMethod({ params: Target, result: TargetResultSchema, role: 'operator', summary: 'Restarts an app or all with its current spec.' }),
  'apps.delete': defineMethod({ params: Target, result: TargetResultSchema, role: 'operator', summary: 'Stops and forgets an app or all.' }),
  'apps.apply': defineMethod({
    params: z.strictObject({ apps: z.array(AppSpecInputSchema).max(1000), prune: z.boolean().default(false) }),
    result: ApplyResultSchema,
    role: 'operator',
    summary: 'Reconciles the app table with a declared list.',
  }),
  'events.list': defineMethod({
    params: z.strictObject({ limit: z.number().int().min(1).max(10_000).default(100), app: z.string().optional() }),
    result: z.array(OwlEventSchema),
    role: 'viewer',
    summary: 'Recent events, oldest first.',
  }),
  'events.follow': defineMethod({
    params: z.strictObject({ app: z.string().optional() }),
    result: Subscription,
    role: 'viewer',
    stream: true,
    summary: 'Streams events as they happen.',
  }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsInput<M extends MethodName> = z.input<Methods[M]['params']>;
export type Params<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
