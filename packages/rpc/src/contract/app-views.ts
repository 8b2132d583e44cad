import * as z from 'zod';

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

export const LastExitSchema = z.object({
  code: z.number().nullable(),
  signal: z.string().nullable(),
  at: z.string(),
});

/** One row of `owl ls`: an app instance. */
export const AppRowSchema = z.object({
  name: z.string(),
  instance: z.number(),
  status: z.enum(ROW_STATUSES),
  pid: z.number().nullable(),
  restarts: z.number(),
  uptimeMs: z.number(),
  cpu: z.number().nullable(),
  memory: z.number().nullable(),
  lastExit: LastExitSchema.nullable(),
  reason: z.string().nullable(),
});
export type AppRow = z.output<typeof AppRowSchema>;

export const AppDetailSchema = z.object({
  name: z.string(),
  spec: z.record(z.string(), z.unknown()),
  instances: z.array(AppRowSchema),
});
export type AppDetail = z.output<typeof AppDetailSchema>;

export const ApplyResultSchema = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  deleted: z.array(z.string()),
});
export type ApplyResult = z.output<typeof ApplyResultSchema>;

export const TargetResultSchema = z.object({ names: z.array(z.string()) });
export type TargetResult = z.output<typeof TargetResultSchema>;
