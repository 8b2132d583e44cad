import * as z from 'zod';
import { defineMethod } from './define-method.ts';

export const LOG_STREAMS = ['out', 'err', 'both'] as const;
export type LogStreamChoice = (typeof LOG_STREAMS)[number];

/**
 * One line of app output as the daemon read it. `at` is when the daemon read the line (apps
 * write raw bytes straight to their files, so no earlier time exists); `instance` is the
 * process slot (0 for single-instance apps).
 */
export const LogLineSchema = z.object({
  app: z.string(),
  instance: z.number().int(),
  stream: z.enum(['out', 'err']),
  line: z.string(),
  at: z.string(),
});
export type LogLine = z.output<typeof LogLineSchema>;

const AppName = z.string().min(1).max(64);
const Stream = z.enum(LOG_STREAMS).default('both');

export const logMethods = {
  'logs.read': defineMethod({
    params: z.strictObject({
      name: AppName.optional(),
      lines: z.number().int().min(1).max(10_000).default(100),
      stream: Stream,
    }),
    result: z.array(LogLineSchema),
    role: 'viewer',
    summary: 'The last lines of one app (or all apps interleaved), oldest first.',
  }),
  'logs.follow': defineMethod({
    params: z.strictObject({
      name: AppName.optional(),
      // Recent lines sent first, in the same notification stream, so none fall between read and follow.
      lines: z.number().int().min(0).max(10_000).default(0),
      stream: Stream,
    }),
    result: z.object({ subscription: z.string() }),
    role: 'viewer',
    stream: true,
    summary: 'Streams new lines; each notification carries an array of lines.',
  }),
} as const;
