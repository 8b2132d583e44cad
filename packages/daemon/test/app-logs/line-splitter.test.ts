import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/app-logs/line-splitter.ts';

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
});
