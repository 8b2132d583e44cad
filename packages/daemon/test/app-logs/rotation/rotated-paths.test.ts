import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { existingGenerations, partialPath, rotatedPath, shiftGenerationsSync } from '../../../src/app-logs/rotation/rotated-paths.ts';
import { appLogPaths } from '../../../src/app-logs/app-log-paths.ts';

function tempDir(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-rotate-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

describe('rotated log names', () => {
  it('numbers generations after the live file: .1 newest, per instance file', () => {
    const paths = appLogPaths('/owl/logs', 'web', 2);
    expect(rotatedPath(paths.out, 1)).toBe('/owl/logs/web/out-2.log.1');
    expect(rotatedPath(appLogPaths('/owl/logs', 'web', 0).err, 3)).toBe('/owl/logs/web/err.log.3');
    expect(partialPath(paths.out)).toBe('/owl/logs/web/out-2.log.1.partial');
  });

  it('shifts generations up, dropping those past keep, leaving other files alone', () => {
    const directory = tempDir();
    const live = path.join(directory, 'out.log');
    for (const name of ['out.log', 'out.log.1', 'out.log.2', 'out.log.3', 'err.log.1', 'out-1.log.1', 'out.log.1.partial']) {
      writeFileSync(path.join(directory, name), name);
    }
    shiftGenerationsSync(live, 3);
    expect(readdirSync(directory).sort()).toEqual(['err.log.1', 'out-1.log.1', 'out.log', 'out.log.1.partial', 'out.log.2', 'out.log.3']);
    expect(readFileSync(rotatedPath(live, 2), 'utf8')).toBe('out.log.1');
    expect(readFileSync(rotatedPath(live, 3), 'utf8')).toBe('out.log.2');
    expect(existingGenerations(live)).toEqual([2, 3]);
  });

  it('keeps order across gaps, and with keep 1 leaves room for .1 only', () => {
    const directory = tempDir();
    const live = path.join(directory, 'out.log');
    for (const generation of [2, 5]) writeFileSync(rotatedPath(live, generation), String(generation));
    shiftGenerationsSync(live, 10);
    expect(existingGenerations(live)).toEqual([3, 6]);
    expect(readFileSync(rotatedPath(live, 6), 'utf8')).toBe('5');
    shiftGenerationsSync(live, 1);
    expect(existingGenerations(live)).toEqual([]);
  });
});
