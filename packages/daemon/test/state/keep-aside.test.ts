import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { boundKeptAside } from '../../src/state/keep-aside.ts';
import { removeStaleTempFiles } from '../../src/state/atomic-write.ts';

describe('files beside state.json', () => {
  it('keeps only the newest corrupt copies, each cut to its size limit', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-aside-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'state.json');
    for (let day = 1; day <= 8; day += 1) writeFileSync(`${file}.corrupt-2030-01-0${day}T00-00-00-000Z`, 'x'.repeat(day * 100));
    writeFileSync(path.join(directory, 'other.corrupt-2030-01-01'), 'not ours');
    await boundKeptAside(file, { copies: 3, bytesPerCopy: 650 });
    expect(readdirSync(directory).sort()).toEqual([
      'other.corrupt-2030-01-01',
      'state.json.corrupt-2030-01-06T00-00-00-000Z',
      'state.json.corrupt-2030-01-07T00-00-00-000Z',
      'state.json.corrupt-2030-01-08T00-00-00-000Z',
    ]);
    expect(statSync(`${file}.corrupt-2030-01-06T00-00-00-000Z`).size).toBe(600);
    expect(statSync(`${file}.corrupt-2030-01-08T00-00-00-000Z`).size).toBe(650);
  });

  it('removes temp files of interrupted writes, and nothing else', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-temps-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'state.json');
    for (const name of ['state.json.123.tmp', 'state.json.prev.456.tmp', 'state.json', 'state.json.prev', 'state.json.x.tmp', 'config.json.1.tmp']) writeFileSync(path.join(directory, name), '{}');
    expect((await removeStaleTempFiles(file)).sort()).toEqual(['state.json.123.tmp', 'state.json.prev.456.tmp']);
    expect(readdirSync(directory).sort()).toEqual(['config.json.1.tmp', 'state.json', 'state.json.prev', 'state.json.x.tmp']);
  });
});
