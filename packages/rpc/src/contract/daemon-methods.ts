import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';

const empty = lazySchema(() => z.strictObject({}));
const ok = lazySchema(() => z.object({ ok: z.literal(true) }));

export const planeInfoSchema = lazySchema(() => z.object({
  kind: z.enum(['local', 'tcp']),
  address: z.string(),
  tls: z.boolean().optional(),
  fingerprint: z.string().optional(),
}));

export const daemonMethods = {

  'daemon.ping': defineMethod({
    params: empty,
    result: () => z.object({ pong: z.literal(true), pid: z.number(), version: z.string() }),
    role: 'viewer',
    summary: 'Checks that the daemon answers.',
  }),
  'daemon.status': defineMethod({
    params: empty,
    result: () => z.object({
      pid: z.number(),
      version: z.string(),
      home: z.string(),
      startedAt: z.string(),
      uptimeMs: z.number(),
      planes: z.array(planeInfoSchema()),
      apps: z.object({ total: z.number(), running: z.number() }),
      /** Files of OWL_HOME the daemon cannot write right now (disk full, read-only, I/O error); empty when all is well. */
      homeWrites: z.array(z.object({ file: z.string(), error: z.string(), since: z.string() })).optional(),
      /** Problems the operator should fix (a config.json holding secrets that others can read). */
      warnings: z.array(z.string()),
    }),
    role: 'viewer',
    summary: 'Reports the daemon, its planes and app counts.',
  }),
  'daemon.reload': defineMethod({
    params: empty,
    result: () => z.object({ changed: z.array(z.enum(['webhooks', 'tcp plane', 'cluster'])), planes: z.array(planeInfoSchema()) }),
    role: 'admin',
    summary: 'Re-reads config.json and applies what changed (webhooks, TCP plane); apps are not touched.',
  }),
  'daemon.shutdown': defineMethod({
    params: () => z.strictObject({ withApps: z.boolean().default(false) }),
    result: ok,
    role: 'admin',
    summary: 'Stops the daemon; apps keep running unless withApps is true.',
  }),
} as const;
