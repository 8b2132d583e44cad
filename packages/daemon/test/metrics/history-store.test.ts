import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { decodeHistory, encodeHistory, loadHistory, saveHistory } from '../../src/metrics/history-store.ts';
import { MetricHistory } from '../../src/metrics/metric-history.ts';
import { tempFileOf } from '../../src/state/atomic-write.ts';

const TIERS = [
  { resolutionMs: 1_000, spanMs: 5_000 },
  { resolutionMs: 10_000, spanMs: 60_000 },
];

function filledHistory(): MetricHistory {
  const history = new MetricHistory(2, TIERS);
  // 8 samples: the 1 s tier wraps around (capacity 5), the 10 s tier does not.
  for (let second = 0; second < 8; second += 1) history.add(100_000 + second * 1_000, [second, second * 10]);
  return history;
}

describe('metrics history store', () => {
  it('puts every tier back exactly as it was, wrapped rings included', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-history-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'metrics-history.bin');
    const original = filledHistory();
    await saveHistory(file, new Map([['host', original], ['web#0', new MetricHistory(2, TIERS)]]));

    const saved = await loadHistory(file);
    expect([...(saved?.keys() ?? [])]).toEqual(['host', 'web#0']);
    const restored = new MetricHistory(2, TIERS);
    expect(restored.importState(saved?.get('host') ?? [])).toBe(true);
    for (const since of [5_000, 60_000]) expect(restored.query(since, 108_000)).toEqual(original.query(since, 108_000));
    restored.add(108_000, [8, 80]);
    original.add(108_000, [8, 80]);
    expect(restored.query(5_000, 109_000)).toEqual(original.query(5_000, 109_000));
  });

  it('exports each series only once the ones before it are on disk (one series in memory at a time)', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-history-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'metrics-history.bin');
    const histories = Array.from({ length: 5 }, () => filledHistory());
    // What the temp file held when each series was exported.
    const writtenBefore: number[] = [];
    const sources = histories.map((history, index) => [
      `app#${index}`,
      {
        liveState: () => {
          writtenBefore.push(existsSync(tempFileOf(file)) ? statSync(tempFileOf(file)).size : -1);
          return history.liveState();
        },
      },
    ] as const);
    await saveHistory(file, new Map(sources));

    const seriesBytes = (encodeHistory(new Map([['app#0', histories[0] as MetricHistory]])).length - 12);
    expect(writtenBefore).toEqual([12, 12 + seriesBytes, 12 + 2 * seriesBytes, 12 + 3 * seriesBytes, 12 + 4 * seriesBytes]);
    const saved = await loadHistory(file);
    expect([...(saved?.keys() ?? [])]).toEqual(['app#0', 'app#1', 'app#2', 'app#3', 'app#4']);
  });

  it('writes the rings from their own arrays, zeros where a ring has not grown yet: the same bytes as full copies', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-history-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'metrics-history.bin');
    // The default tiers (720, 1440 and 1008 buckets): a few samples leave every ring far below its capacity.
    const young = new MetricHistory(2);
    for (let minute = 0; minute < 3; minute += 1) young.add(1_000_000 + minute * 60_000, [minute, minute + 0.5]);
    expect(young.liveState().map((ring) => ring.starts.length)).toEqual([8, 8, 8]);
    await saveHistory(file, new Map([['young#0', young]]));

    const saved = await loadHistory(file);
    const copies = young.exportState();
    expect(saved?.get('young#0')).toEqual(copies);
    expect(copies.map((ring) => ring.starts.length)).toEqual([720, 1440, 1008]);
  });

  it('has nothing to load when no file was saved yet', async () => {
    expect(await loadHistory(path.join(tmpdir(), 'owl-no-such-dir', 'metrics-history.bin'))).toBeNull();
  });

  it('names what is wrong with a file that is not a history, truncated, or longer than its series', () => {
    const bytes = encodeHistory(new Map([['host', filledHistory()]]));
    expect(() => decodeHistory(Buffer.from('not metrics at all'))).toThrow('not an owl metrics history file');
    const future = Buffer.from(bytes);
    future.writeUInt32LE(9, 4);
    expect(() => decodeHistory(future)).toThrow('metrics history version 9 is not supported (expected 1)');
    expect(() => decodeHistory(bytes.subarray(0, bytes.length - 3))).toThrow(/^metrics history is truncated at byte \d+$/);
    expect(() => decodeHistory(Buffer.concat([bytes, Buffer.alloc(5)]))).toThrow('metrics history has 5 bytes after its last series');
  });

  it('refuses tiers saved with another shape and leaves the history as it was', () => {
    const saved = filledHistory().exportState();
    const other = new MetricHistory(2, [{ resolutionMs: 1_000, spanMs: 5_000 }]);
    expect(other.importState(saved)).toBe(false);
    const fresh = new MetricHistory(2, TIERS);
    fresh.add(200_000, [1, 1]);
    const broken = saved.map((ring, index) => (index === 1 ? { ...ring, size: ring.capacity + 1 } : ring));
    expect(fresh.importState(broken)).toBe(false);
    expect(fresh.query(5_000, 200_500).points).toEqual([{ at: 200_000, values: [1, 1] }]);
  });

  it('reports an unreadable file', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-history-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'metrics-history.bin');
    writeFileSync(file, Buffer.from([1, 2, 3]));
    await expect(loadHistory(file)).rejects.toThrow('metrics history is truncated at byte 0');
  });
});
