import * as z from 'zod';
import { lazySchema } from './define-method.ts';

export const APP_STATUSES = [
  'inactive',
  'queued',
  'launching',
  'running',
  'stalled',
  'stopping',
  'stopped',
  'killed',
  'launch_failed',
] as const;
export type AppStatus = (typeof APP_STATUSES)[number];

/** A row's status: an instance's state, or `orphan` for a process owl started that no app wants. */
export const ROW_STATUSES = [...APP_STATUSES, 'orphan'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export const lastExitSchema = lazySchema(() => z.object({
  code: z.number().nullable(),
  signal: z.string().nullable(),
  at: z.string(),
}));

/** One row of `owl ls`: an app instance. */
export const appRowSchema = lazySchema(() => z.object({
  name: z.string(),
  instance: z.number(),
  status: z.enum(ROW_STATUSES),
  pid: z.number().nullable(),
  restarts: z.number(),
  uptimeMs: z.number(),
  cpu: z.number().nullable(),
  memory: z.number().nullable(),
  lastExit: lastExitSchema().nullable(),
  reason: z.string().nullable(),
}));
export type AppRow = z.output<ReturnType<typeof appRowSchema>>;

export const appDetailSchema = lazySchema(() => z.object({
  name: z.string(),
  spec: z.record(z.string(), z.unknown()),
  instances: z.array(appRowSchema()),
}));
export type AppDetail = z.output<ReturnType<typeof appDetailSchema>>;

export const applyResultSchema = lazySchema(() => z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  deleted: z.array(z.string()),
}));
export type ApplyResult = z.output<ReturnType<typeof applyResultSchema>>;

export const targetResultSchema = lazySchema(() => z.object({ names: z.array(z.string()) }));
export type TargetResult = z.output<ReturnType<typeof targetResultSchema>>;
