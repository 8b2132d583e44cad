import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';
import { AppSpecInputSchema } from './app-spec.ts';
import { appRowSchema, appDetailSchema, applyResultSchema, targetResultSchema } from './app-views.ts';
import { reloadResultSchema } from './reload-result.ts';

const empty = lazySchema(() => z.strictObject({}));
/** `all` or one app name; validated again against the app table by the daemon. */
const target = lazySchema(() => z.strictObject({ target: z.string().min(1).max(64) }));

export const appMethods = {
  'apps.list': defineMethod({
    params: empty,
    result: () => z.array(appRowSchema()),
    role: 'viewer',
    summary: 'Lists every app instance with status and usage.',
  }),
  'apps.describe': defineMethod({
    params: () => z.strictObject({ name: z.string().min(1).max(64) }),
    result: appDetailSchema,
    role: 'viewer',
    summary: 'Shows one app: spec, instances, last exits.',
  }),
  'apps.create': defineMethod({
    params: () => z.strictObject({ spec: AppSpecInputSchema, start: z.boolean().default(true) }),
    result: applyResultSchema,
    role: 'operator',
    summary: 'Creates an app (or updates it when the spec changed) and starts it.',
  }),
  'apps.start': defineMethod({ params: target, result: targetResultSchema, role: 'operator', summary: 'Starts an app or all.' }),
  'apps.stop': defineMethod({ params: target, result: targetResultSchema, role: 'operator', summary: 'Stops an app or all.' }),
  'apps.restart': defineMethod({ params: target, result: targetResultSchema, role: 'operator', summary: 'Restarts an app or all with its current spec.' }),
  'apps.reload': defineMethod({
    params: target,
    result: reloadResultSchema,
    role: 'operator',
    summary: 'Rolling restart: one instance at a time, each replacement running (and healthy) before the next.',
  }),
  'apps.delete': defineMethod({ params: target, result: targetResultSchema, role: 'operator', summary: 'Stops and forgets an app or all.' }),
  'apps.stopOrphans': defineMethod({
    params: empty,
    result: () => z.object({ pids: z.array(z.number()) }),
    role: 'operator',
    summary: 'Stops the processes this home started that no app wants any more (orphans).',
  }),
  'apps.apply': defineMethod({
    params: () => z.strictObject({ apps: z.array(AppSpecInputSchema).max(1000), prune: z.boolean().default(false) }),
    result: applyResultSchema,
    role: 'operator',
    summary: 'Reconciles the app table with a declared list.',
  }),
} as const;
