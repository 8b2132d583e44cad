import * as z from 'zod';

export const OwlEventSchema = z.object({
  seq: z.number(),
  at: z.string(),
  type: z.string(),
  app: z.string().optional(),
  instance: z.number().optional(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type OwlEvent = z.output<typeof OwlEventSchema>;
