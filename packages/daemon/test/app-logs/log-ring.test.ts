import { describe, expect, it } from 'vitest';
import { LogRing } from '../../src/app-logs/log-ring.ts';
import { RING_ENTRY_OVERHEAD_BYTES } from '../../src/app-logs/log-limits.ts';

const entry = (seq: number, line: string = `line ${seq}`) => ({ seq, at: 0, line });

describe('LogRing', () => {
  it('allocates slots as lines arrive, up to maxLines and never past it', () => {
    const ring = new LogRing({ maxLines: 2_000, maxBytes: 1_000_000 });
    expect(ring.allocatedSlots).toBe(0);
    for (let seq = 1; seq <= 10; seq += 1) ring.push(entry(seq));
    expect(ring.allocatedSlots).toBe(10);
    for (let seq = 11; seq <= 5_000; seq += 1) ring.push(entry(seq));
    expect(ring.allocatedSlots).toBe(2_000);
    expect(ring.last(3).map((kept) => kept.seq)).toEqual([4_998, 4_999, 5_000]);
  });

  it('keeps its order when bytes evict before the slots reach maxLines', () => {
    const ring = new LogRing({ maxLines: 100, maxBytes: 3 * (RING_ENTRY_OVERHEAD_BYTES + 'line 100'.length) });
    for (let seq = 100; seq < 340; seq += 1) ring.push(entry(seq));
    expect(ring.allocatedSlots).toBe(100);
    expect(ring.last(10).map((kept) => kept.seq)).toEqual([337, 338, 339]);
  });

  it('keeps the newest maxLines entries, oldest first', () => {
    const ring = new LogRing({ maxLines: 3, maxBytes: 1_000_000 });
    for (let seq = 1; seq <= 10; seq += 1) ring.push(entry(seq));
    expect(ring.length).toBe(3);
    expect(ring.last(10).map((kept) => kept.seq)).toEqual([8, 9, 10]);
    expect(ring.last(2).map((kept) => kept.seq)).toEqual([9, 10]);
    expect(ring.last(0)).toEqual([]);
  });

  it('is bounded by bytes too, charging each entry its text plus a fixed overhead', () => {
    const line = 'x'.repeat(100);
    const maxBytes = 5 * (line.length + RING_ENTRY_OVERHEAD_BYTES);
    const ring = new LogRing({ maxLines: 1_000, maxBytes });
    for (let seq = 1; seq <= 50; seq += 1) ring.push(entry(seq, line));
    expect(ring.length).toBe(5);
    expect(ring.bytes).toBe(maxBytes);
    expect(ring.last(100).map((kept) => kept.seq)).toEqual([46, 47, 48, 49, 50]);
  });

  it('bounds a flood of empty lines by their overhead', () => {
    const ring = new LogRing({ maxLines: 100_000, maxBytes: 10 * RING_ENTRY_OVERHEAD_BYTES });
    for (let seq = 1; seq <= 100_000; seq += 1) ring.push(entry(seq, ''));
    expect(ring.length).toBe(10);
  });

  it('keeps one entry larger than the byte budget until the next arrives', () => {
    const ring = new LogRing({ maxLines: 10, maxBytes: 100 });
    ring.push(entry(1, 'y'.repeat(500)));
    expect(ring.last(5).map((kept) => kept.seq)).toEqual([1]);
    ring.push(entry(2, 'z'));
    expect(ring.last(5).map((kept) => kept.seq)).toEqual([2]);
    expect(ring.bytes).toBe(1 + RING_ENTRY_OVERHEAD_BYTES);
  });
});
