import { describe, expect, it } from 'vitest';
import { MemoryGuard } from '../../src/metrics/memory-guard.ts';

const MB = 1024 * 1024;

describe('MemoryGuard', () => {
  it('fires on the second consecutive sample above the limit, then counts again', () => {
    const guard = new MemoryGuard<string>();
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(false);
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(true);
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(false);
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(true);
  });

  it('forgives a single spike', () => {
    const guard = new MemoryGuard<string>();
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(false);
    expect(guard.exceeded('web', 10, 100 * MB, 200 * MB)).toBe(false);
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(false);
  });

  it('starts over for a new process of the same instance', () => {
    const guard = new MemoryGuard<string>();
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(false);
    expect(guard.exceeded('web', 11, 300 * MB, 200 * MB)).toBe(false);
    expect(guard.exceeded('web', 11, 300 * MB, 200 * MB)).toBe(true);
  });

  it('never fires without a limit, and forgets instances that were not sampled', () => {
    const guard = new MemoryGuard<string>();
    expect(guard.exceeded('free', 10, 10_000 * MB, undefined)).toBe(false);
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(false);
    guard.keepOnly(new Set(['other']));
    expect(guard.exceeded('web', 10, 300 * MB, 200 * MB)).toBe(false);
  });
});
