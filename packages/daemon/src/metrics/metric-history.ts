import { BucketRing, type BucketPoint, type BucketRingState } from './bucket-ring.ts';

export interface HistoryTier {
  resolutionMs: number;
  /** How far back this tier reaches. */
  spanMs: number;
}

/** 5 s buckets for 1 h, 1 min for 24 h, 10 min for 7 d (the downsampling). */
export const HISTORY_TIERS: readonly HistoryTier[] = Object.freeze([
  { resolutionMs: 5_000, spanMs: 60 * 60 * 1000 },
  { resolutionMs: 60_000, spanMs: 24 * 60 * 60 * 1000 },
  { resolutionMs: 600_000, spanMs: 7 * 24 * 60 * 60 * 1000 },
]);

export interface HistoryQuery {
  resolutionMs: number;
  points: BucketPoint[];
}

/**
 * The history of one series (the host, or one app instance): every sample goes into each
 * tier, each averaging it into its own bucket width; a query reads the finest tier that
 * reaches back far enough, so no answer holds more than a tier's capacity of points.
 */
export class MetricHistory {
  readonly #tiers: readonly HistoryTier[];
  readonly #rings: BucketRing[];

  constructor(fields: number, tiers: readonly HistoryTier[] = HISTORY_TIERS) {
    this.#tiers = tiers;
    this.#rings = tiers.map((tier) => new BucketRing({ resolutionMs: tier.resolutionMs, capacity: Math.ceil(tier.spanMs / tier.resolutionMs), fields }));
  }

  add(atMs: number, values: readonly number[]): void {
    for (const ring of this.#rings) ring.add(atMs, values);
  }

  /** Every tier's own arrays (see BucketRing.liveState): valid until the next sample. */
  liveState(): BucketRingState[] {
    return this.#rings.map((ring) => ring.liveState());
  }

  exportState(): BucketRingState[] {
    return this.#rings.map((ring) => ring.exportState());
  }

  /** Puts saved tiers back; false (nothing changed) when they do not match this history's tiers. */
  importState(states: readonly BucketRingState[]): boolean {
    if (states.length !== this.#rings.length) return false;
    const fresh = this.#rings.map((ring) => ring.exportState());
    if (this.#rings.every((ring, index) => ring.importState(states[index] as BucketRingState))) return true;
    this.#rings.forEach((ring, index) => ring.importState(fresh[index] as BucketRingState));
    return false;
  }

  query(sinceMs: number, nowMs: number): HistoryQuery {
    const resolutionMs = resolutionFor(sinceMs, this.#tiers);
    const ring = this.#rings.find((candidate) => candidate.resolutionMs === resolutionMs) as BucketRing;
    return { resolutionMs: ring.resolutionMs, points: ring.points(nowMs - sinceMs) };
  }
}

/** The bucket width a query over `sinceMs` is answered in. */
export function resolutionFor(sinceMs: number, tiers: readonly HistoryTier[] = HISTORY_TIERS): number {
  return (tiers.find((tier) => tier.spanMs >= sinceMs) ?? (tiers.at(-1) as HistoryTier)).resolutionMs;
}
