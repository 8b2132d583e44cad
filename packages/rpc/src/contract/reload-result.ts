import * as z from 'zod';
import { lazySchema } from './define-method.ts';

/** How a rolling reload went for one app. */
export const appReloadSchema = lazySchema(() => z.object({
  name: z.string(),
  instances: z.number(),
  /** Instances whose replacement runs (and passed its health check, when it has one). */
  replaced: z.array(z.number()),
  /** The instance whose replacement did not come up; the reload stopped there. */
  failed: z.object({ instance: z.number(), reason: z.string() }).nullable(),
  /** Instances the reload never reached: still their old processes. */
  untouched: z.array(z.number()),
}));
export type AppReload = z.output<ReturnType<typeof appReloadSchema>>;

export const reloadResultSchema = lazySchema(() => z.object({
  ok: z.boolean(),
  apps: z.array(appReloadSchema()),
}));
export type ReloadResult = z.output<ReturnType<typeof reloadResultSchema>>;
