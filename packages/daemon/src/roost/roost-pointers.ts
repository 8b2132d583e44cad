import * as z from 'zod';

/** The current version of one roost and the versions kept on disk for instant rollback. */
export const RoostPointerSchema = z.object({
  current: z.string().regex(/^[0-9a-f]{64}$/),
  /** Newest published first; the current version is one of them. */
  kept: z.array(z.object({ versionId: z.string().regex(/^[0-9a-f]{64}$/), publishedAt: z.string() })),
  switchedAt: z.string(),
});
export type RoostPointer = z.output<typeof RoostPointerSchema>;
export type RoostPointerMap = Record<string, RoostPointer>;

/**
 * The pointers live in state.json (single node). `save` resolves once the new map is on disk,
 * like every change of intent. A cluster keeps the same shape in Redis under fencing, so a
 * rollout's leader job can compare-and-set it.
 */
export interface RoostPointerStore {
  get(): RoostPointerMap;
  save(next: RoostPointerMap): Promise<void>;
}
