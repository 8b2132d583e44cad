import * as z from 'zod';
import { defineMethod, lazySchema } from './define-method.ts';
import { owlEventSchema } from './events.ts';

const subscription = lazySchema(() => z.object({ subscription: z.string() }));

export const eventMethods = {
  'events.list': defineMethod({
    params: () => z.strictObject({ limit: z.number().int().min(1).max(10_000).default(100), app: z.string().optional() }),
    result: () => z.array(owlEventSchema()),
    role: 'viewer',
    summary: 'Recent events, oldest first.',
  }),
  'events.follow': defineMethod({
    params: () => z.strictObject({ app: z.string().optional() }),
    result: subscription,
    role: 'viewer',
    stream: true,
    summary: 'Streams events as they happen.',
  }),
} as const;
