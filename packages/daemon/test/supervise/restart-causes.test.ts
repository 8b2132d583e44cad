import { describe, expect, it } from 'vitest';
import { describeKill } from '../../src/supervise/restart-causes.ts';

describe('describeKill', () => {
  it('kills a hung instance at once (no grace) and says how long it stalled and what the last check saw', () => {
    const kill = describeKill({ kind: 'health_kill', pid: 42, verdict: { kind: 'hung', pid: 42, killAfter: 50, lastCheck: 'down #3' } });
    expect(kill).toEqual({ reason: 'stalled for 50 ms (killAfter); last check: down #3', force: true, data: {} });
  });

  it('stops an oversized tree with its stop signal and reports its memory against the limit', () => {
    const kill = describeKill({ kind: 'max_memory', pid: 42, breach: { pid: 42, memory: 150 * 1024 * 1024, limit: 100 * 1024 * 1024 } });
    expect(kill).toEqual({
      reason: 'process tree uses 150.0 MB, above maxMemory 100.0 MB',
      force: false,
      data: { memory: 150 * 1024 * 1024, limit: 100 * 1024 * 1024 },
    });
  });
});
