import { describe, expect, it } from 'vitest';
import { BucketRing } from '../../src/metrics/bucket-ring.ts';
import { HISTORY_TIERS, MetricHistory, resolutionFor } from '../../src/metrics/metric-history.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// A fixed epoch on a 10-minute boundary keeps bucket edges easy to reason about.
const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);

describe('BucketRing', () => {
  it('averages the samples that fall into one bucket', () => {
    const ring = new BucketRing({ resolutionMs: 5 * SECOND, capacity: 4, fields: 2 });
    ring.add(T0, [10, 100]);
    ring.add(T0 + 1 * SECOND, [20, 200]);
    ring.add(T0 + 4_999, [30, 300]);
    ring.add(T0 + 5 * SECOND, [7, 70]);
    expect(ring.points(0)).toEqual([
      { at: T0, values: [20, 200] },
      { at: T0 + 5 * SECOND, values: [7, 70] },
    ]);
  });

  it('overwrites the oldest bucket once full and returns oldest first', () => {
    const ring = new BucketRing({ resolutionMs: SECOND, capacity: 3, fields: 1 });
    for (let second = 0; second < 5; second += 1) ring.add(T0 + second * SECOND, [second]);
    expect(ring.points(0).map((point) => point.values[0])).toEqual([2, 3, 4]);
  });

  it('returns only buckets that end after the start of the window', () => {
    const ring = new BucketRing({ resolutionMs: 5 * SECOND, capacity: 10, fields: 1 });
    for (let step = 0; step < 6; step += 1) ring.add(T0 + step * 5 * SECOND, [step]);
    // The bucket [T0+10s, T0+15s) still overlaps a window starting at T0+12s.
    expect(ring.points(T0 + 12 * SECOND).map((point) => point.at)).toEqual([T0 + 10 * SECOND, T0 + 15 * SECOND, T0 + 20 * SECOND, T0 + 25 * SECOND]);
  });

  it('folds a sample from a clock that stepped back into the newest bucket', () => {
    const ring = new BucketRing({ resolutionMs: SECOND, capacity: 4, fields: 1 });
    ring.add(T0 + 10 * SECOND, [10]);
    ring.add(T0 + 2 * SECOND, [20]);
    expect(ring.points(0)).toEqual([{ at: T0 + 10 * SECOND, values: [15] }]);
  });

  it('keeps gaps: buckets carry their own times', () => {
    const ring = new BucketRing({ resolutionMs: SECOND, capacity: 4, fields: 1 });
    ring.add(T0, [1]);
    ring.add(T0 + HOUR, [2]);
    expect(ring.points(0).map((point) => point.at)).toEqual([T0, T0 + HOUR]);
  });

  it('holds memory for what was written, doubling up to its capacity and never past it', () => {
    const ring = new BucketRing({ resolutionMs: SECOND, capacity: 720, fields: 2 });
    expect(ring.allocatedBuckets).toBe(0);
    ring.add(T0, [1, 1]);
    expect(ring.allocatedBuckets).toBe(8);
    for (let second = 1; second < 9; second += 1) ring.add(T0 + second * SECOND, [second, second]);
    expect(ring.allocatedBuckets).toBe(16);
    for (let second = 9; second < 2_000; second += 1) ring.add(T0 + second * SECOND, [second, second]);
    expect(ring.allocatedBuckets).toBe(720);
    expect(ring.points(0).map((point) => point.values[0])).toEqual(Array.from({ length: 720 }, (_, index) => 1_280 + index));
  });

  it('keeps its order across growth and a saved state put back into a fresh ring', () => {
    const ring = new BucketRing({ resolutionMs: SECOND, capacity: 100, fields: 1 });
    for (let second = 0; second < 20; second += 1) ring.add(T0 + second * SECOND, [second]);
    const saved = ring.exportState();
    expect(saved.starts.length).toBe(100);
    const restored = new BucketRing({ resolutionMs: SECOND, capacity: 100, fields: 1 });
    expect(restored.importState(saved)).toBe(true);
    expect(restored.allocatedBuckets).toBe(32);
    restored.add(T0 + 20 * SECOND, [20]);
    expect(restored.points(0).map((point) => point.values[0])).toEqual(Array.from({ length: 21 }, (_, index) => index));
  });
});

describe('MetricHistory', () => {
  it('answers from 5 s buckets up to 1 h, 1 min up to 24 h, 10 min up to 7 d', () => {
    expect(resolutionFor(15 * MINUTE)).toBe(5 * SECOND);
    expect(resolutionFor(HOUR)).toBe(5 * SECOND);
    expect(resolutionFor(HOUR + 1)).toBe(MINUTE);
    expect(resolutionFor(DAY)).toBe(MINUTE);
    expect(resolutionFor(2 * DAY)).toBe(10 * MINUTE);
    expect(resolutionFor(7 * DAY)).toBe(10 * MINUTE);
    expect(HISTORY_TIERS.map((tier) => tier.spanMs / tier.resolutionMs)).toEqual([720, 1440, 1008]);
  });

  it('downsamples a week of 5 s ticks into bounded rings', () => {
    const history = new MetricHistory(2);
    const tick = 5 * SECOND;
    const end = T0 + 7 * DAY;
    // cpu cycles 0..11 within each minute, so every 1-minute bucket averages 5.5.
    for (let at = T0; at < end; at += tick) history.add(at, [((at - T0) / tick) % 12, 1_000]);
    const now = end - 1;

    const hour = history.query(HOUR, now);
    expect(hour.resolutionMs).toBe(5 * SECOND);
    expect(hour.points).toHaveLength(720);

    const day = history.query(DAY, now);
    expect(day.resolutionMs).toBe(MINUTE);
    expect(day.points).toHaveLength(1440);
    expect(new Set(day.points.map((point) => point.values[0]))).toEqual(new Set([5.5]));

    const week = history.query(7 * DAY, now);
    expect(week.resolutionMs).toBe(10 * MINUTE);
    expect(week.points).toHaveLength(1008);
    expect(week.points[0]).toEqual({ at: T0, values: [5.5, 1_000] });
    expect(week.points.at(-1)?.at).toBe(end - 10 * MINUTE);
  });

  it('answers a short window with the newest points only', () => {
    const history = new MetricHistory(2);
    for (let step = 0; step < 100; step += 1) history.add(T0 + step * 5 * SECOND, [step, step * 2]);
    const now = T0 + 99 * 5 * SECOND;
    const last30s = history.query(30 * SECOND, now);
    expect(last30s.points.map((point) => point.values[0])).toEqual([93, 94, 95, 96, 97, 98, 99]);
  });
});
