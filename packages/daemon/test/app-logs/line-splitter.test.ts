import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/app-logs/line-splitter.ts';
import { LogRing } from '../../src/app-logs/log-ring.ts';

/** A small deterministic generator (mulberry32): the same cases on every run. */
function randomOf(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Lines of every kind a tail meets: empty, ASCII, 2-, 3- and 4-byte UTF-8, CRLF ends, lines longer than the cut. */
function floodText(random: () => number, lines: number): Buffer {
  const pieces = ['a', 'é', '€', '😀', ' ', 'x'.repeat(40)];
  let text = '';
  for (let n = 0; n < lines; n += 1) {
    const length = random() < 0.05 ? 200 : Math.floor(random() * 12);
    for (let index = 0; index < length; index += 1) text += pieces[Math.floor(random() * pieces.length)];
    text += random() < 0.2 ? '\r\n' : '\n';
  }
  return Buffer.from(`${text}unfinished é`);
}

function tailInto(text: Buffer, ring: LogRing, random: () => number, newestOnly: boolean): LineSplitter {
  const splitter = new LineSplitter(64);
  let seq = 0;
  for (let start = 0; start < text.length; ) {
    const end = Math.min(text.length, start + 1 + Math.floor(random() * 3_000));
    for (const line of splitter.push(text.subarray(start, end), newestOnly ? ring.admitsNewest() : undefined)) ring.push({ seq: (seq += 1), at: 0, line });
    start = end;
  }
  return splitter;
}

describe('LineSplitter', () => {
  it('joins lines split across chunks and keeps the unfinished one pending', () => {
    const splitter = new LineSplitter(1024);
    expect(splitter.push(Buffer.from('one\ntw'))).toEqual(['one']);
    expect(splitter.pending.toString()).toBe('tw');
    expect(splitter.push(Buffer.from('o\nthree\n\nfo'))).toEqual(['two', 'three', '']);
    expect(splitter.pending.toString()).toBe('fo');
    expect(splitter.flush()).toEqual(['fo']);
    expect(splitter.pending.length).toBe(0);
  });

  it('drops the carriage return of CRLF line ends', () => {
    expect(new LineSplitter(1024).push(Buffer.from('a\r\nb\r\n'))).toEqual(['a', 'b']);
  });

  it('cuts a line longer than maxLineBytes into pieces, never splitting a UTF-8 character', () => {
    const splitter = new LineSplitter(8);
    // "é" is two bytes: a cut at byte 8 would fall inside the fourth one.
    expect(splitter.push(Buffer.from('abcéééé\n'))).toEqual(['abcéé', 'éé']);
    expect(splitter.push(Buffer.from('0123456789abcdefXY'))).toEqual(['01234567', '89abcdef']);
    expect(splitter.pending.toString()).toBe('XY');
  });

  it('keeps pending equal to the bytes after the last newline (rotation relies on it)', () => {
    const splitter = new LineSplitter(16);
    const stream = Buffer.from('first line\nsecond line that is long\nthird');
    let consumed = Buffer.alloc(0);
    for (let start = 0; start < stream.length; start += 7) {
      const chunk = stream.subarray(start, start + 7);
      splitter.push(chunk);
      consumed = Buffer.concat([consumed, chunk]);
      expect(consumed.subarray(consumed.length - splitter.pending.length).equals(splitter.pending)).toBe(true);
      expect(splitter.pending.length).toBeLessThanOrEqual(16);
    }
  });

  it('decoding only the newest lines the ring admits leaves the ring and pending exactly as decoding every line', () => {
    for (const [seed, limits] of [
      [1, { maxLines: 50, maxBytes: 1_000_000 }],
      [2, { maxLines: 10_000, maxBytes: 4_096 }],
      [3, { maxLines: 300, maxBytes: 20_000 }],
      [4, { maxLines: 1, maxBytes: 1 }],
    ] as const) {
      const text = floodText(randomOf(seed), 5_000);
      const all = new LogRing(limits);
      const newest = new LogRing(limits);
      // The same chunking for both.
      const everyLine = tailInto(text, all, randomOf(seed + 100), false);
      const newestLines = tailInto(text, newest, randomOf(seed + 100), true);
      expect(newest.last(20_000).map((entry) => entry.line), `seed ${seed}`).toEqual(all.last(20_000).map((entry) => entry.line));
      expect(newestLines.pending.equals(everyLine.pending)).toBe(true);
      expect(newestLines.pending.toString()).toBe('unfinished é');
    }
  });

  it('with newest, decodes only the lines the ring can keep', () => {
    const ring = new LogRing({ maxLines: 3, maxBytes: 1_000_000 });
    const splitter = new LineSplitter(1024);
    const lines = Array.from({ length: 1_000 }, (_, n) => `line ${n}`);
    expect(splitter.push(Buffer.from(`${lines.join('\n')}\nrest`), ring.admitsNewest())).toEqual(['line 997', 'line 998', 'line 999']);
    expect(splitter.pending.toString()).toBe('rest');
    expect(splitter.push(Buffer.from('\n'), ring.admitsNewest())).toEqual(['rest']);
  });
});
