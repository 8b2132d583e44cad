import { describe, expect, it } from 'vitest';
import { resolveMetricsInterval } from '../../src/metrics/metrics-interval.ts';

describe('resolveMetricsInterval', () => {
  it('defaults to 5 s and accepts whole milliseconds from 100 ms to 1 h', () => {
    expect(resolveMetricsInterval(undefined)).toEqual({ intervalMs: 5_000 });
    expect(resolveMetricsInterval('')).toEqual({ intervalMs: 5_000 });
    expect(resolveMetricsInterval('250')).toEqual({ intervalMs: 250 });
    expect(resolveMetricsInterval(1_000)).toEqual({ intervalMs: 1_000 });
  });

  it('falls back to 5 s with a warning naming the variable', () => {
    expect(resolveMetricsInterval('5s')).toEqual({
      intervalMs: 5_000,
      warning: 'OWL_METRICS_INTERVAL_MS: expected whole milliseconds between 100 and 3600000, received "5s"; using 5000',
    });
    expect(resolveMetricsInterval('10').warning).toBe('OWL_METRICS_INTERVAL_MS: expected whole milliseconds between 100 and 3600000, received "10"; using 5000');
  });
});
