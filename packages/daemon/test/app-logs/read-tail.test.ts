import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readTailLinesSync } from '../../src/app-logs/read-tail.ts';

function tempLog(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-tail-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return path.join(directory, 'err.log');
}

describe('readTailLinesSync (the stderr lines of a crash event)', () => {
  it('takes the last lines of the live file', () => {
    const file = tempLog();
    writeFileSync(file, 'a\nb\nc\nd\n');
    expect(readTailLinesSync(file, 2)).toEqual(['c', 'd']);
  });

  it('keeps empty lines and a last line that has no newline yet', () => {
    const file = tempLog();
    writeFileSync(file, 'a\n\nb\nc');
    expect(readTailLinesSync(file, 3)).toEqual(['', 'b', 'c']);
    expect(readTailLinesSync(file, 10)).toEqual(['a', '', 'b', 'c']);
    writeFileSync(file, '\n');
    expect(readTailLinesSync(file, 10)).toEqual(['']);
  });

  it('completes a just-rotated live file from the end of its newest generation', () => {
    const file = tempLog();
    writeFileSync(`${file}.2`, 'x\n');
    writeFileSync(`${file}.1`, 'p\nq\nr\n');
    writeFileSync(file, 'Error: boom\n');
    expect(readTailLinesSync(file, 3)).toEqual(['q', 'r', 'Error: boom']);
    expect(readTailLinesSync(file, 10)).toEqual(['p', 'q', 'r', 'Error: boom']);
  });

  it('does not reach into older files when the byte window cut the live one', () => {
    const file = tempLog();
    writeFileSync(`${file}.1`, 'old\n');
    writeFileSync(file, `${'x'.repeat(100)}\nlast\n`);
    expect(readTailLinesSync(file, 5, 20)).toEqual(['last']);
  });

  it('reads each file afresh through its one shared window (nothing left from an earlier, longer read)', () => {
    const long = tempLog();
    const short = tempLog();
    writeFileSync(long, `${'a'.repeat(70_000)}\n${'b\n'.repeat(30_000)}`);
    writeFileSync(short, 'one\ntwo');
    expect(readTailLinesSync(long, 2)).toEqual(['b', 'b']);
    expect(readTailLinesSync(short, 5)).toEqual(['one', 'two']);
    expect(readTailLinesSync(long, 3, 100 * 1024)).toEqual(['b', 'b', 'b']);
    expect(readTailLinesSync(short, 1)).toEqual(['two']);
    writeFileSync(short, '');
    expect(readTailLinesSync(short, 5)).toEqual([]);
  });

  it('returns lines that do not hold on to the whole window read (crash events keep them)', () => {
    const file = tempLog();
    // A crash loop's err.log after a few thousand runs: the 64 KiB window is full of short lines.
    writeFileSync(file, 'crashing in 3000 ms\n'.repeat(4_000));
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    collect();
    const before = process.memoryUsage().heapUsed;
    const kept: string[][] = [];
    for (let event = 0; event < 200; event += 1) kept.push(readTailLinesSync(file, 10));
    collect();
    const grownBytes = process.memoryUsage().heapUsed - before;
    expect(kept.every((lines) => lines.length === 10 && lines.every((line) => line === 'crashing in 3000 ms'))).toBe(true);
    // 2,000 lines of 19 characters: well under 1 MiB; lines sliced out of each 64 KiB window would pin 12.5 MiB.
    expect(grownBytes).toBeLessThan(1024 * 1024);
  });

  it('is empty when there is no log at all', () => {
    expect(readTailLinesSync(tempLog(), 5)).toEqual([]);
  });
});
