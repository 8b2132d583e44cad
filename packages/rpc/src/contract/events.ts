import * as z from 'zod';
import { lazySchema } from './define-method.ts';

export const owlEventSchema = lazySchema(() => z.object({
  seq: z.number(),
  at: z.string(),
  type: z.string(),
  app: z.string().optional(),
  instance: z.number().optional(),
  data: z.record(z.string(), z.unknown()).default({}),
}));
export type OwlEvent = z.output<ReturnType<typeof owlEventSchema>>;
