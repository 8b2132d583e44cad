import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('completes a just-rotated live file from the end of its newest generation', async () => {
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

  it('is empty when there is no log at all', () => {
    expect(readTailLinesSync(tempLog(), 5)).toEqual([]);
  });
});
