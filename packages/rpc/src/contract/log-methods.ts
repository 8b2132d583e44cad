import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';

export const LOG_STREAMS = ['out', 'err', 'both'] as const;
export type LogStreamChoice = (typeof LOG_STREAMS)[number];

/**
 * One line of app output as the daemon read it. `at` is when the daemon read the line (apps
 * write raw bytes straight to their files, so no earlier time exists); `instance` is the
 * process slot (0 for single-instance apps).
 */
export const logLineSchema = lazySchema(() => z.object({
  app: z.string(),
  instance: z.number().int(),
  stream: z.enum(['out', 'err']),
  line: z.string(),
  at: z.string(),
}));
export type LogLine = z.output<ReturnType<typeof logLineSchema>>;

const appName = lazySchema(() => z.string().min(1).max(64));
const stream = lazySchema(() => z.enum(LOG_STREAMS).default('both'));

export const logMethods = {
  'logs.read': defineMethod({
    params: () => z.strictObject({
      name: appName().optional(),
      lines: z.number().int().min(1).max(10_000).default(100),
      stream: stream(),
    }),
    result: () => z.array(logLineSchema()),
    role: 'viewer',
    summary: 'The last lines of one app (or all apps interleaved), oldest first.',
  }),
  'logs.follow': defineMethod({
    params: () => z.strictObject({
      name: appName().optional(),
      // Recent lines sent first, in the same notification stream, so none fall between read and follow.
      lines: z.number().int().min(0).max(10_000).default(0),
      stream: stream(),
    }),
    result: () => z.object({ subscription: z.string() }),
    role: 'viewer',
    stream: true,
    summary: 'Streams new lines; each notification carries an array of lines.',
  }),
} as const;
