import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { IdleSweep } from '../../src/app-logs/idle-sweep.ts';
import { LogTailer } from '../../src/app-logs/log-tailer.ts';
import { testTailerDeps } from '../helpers/tailer-deps.ts';
import { waitFor } from '@owl/test-support/wait-for';

function tailFile(sweep: IdleSweep): { tailer: LogTailer; file: string; seen: string[] } {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-sweep-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  const file = path.join(directory, 'out.log');
  writeFileSync(file, 'first\n');
  const seen: string[] = [];
  const deps = testTailerDeps(seen, { idleSweep: sweep });
  const tailer = new LogTailer({ app: 'web', instance: 0, stream: 'out', file }, deps);
  tailer.start();
  onTestFinished(() => tailer.stop());
  return { tailer, file, seen };
}

describe.skipIf(process.platform === 'win32')('idle sweep (one timer for every idle, watched log file)', () => {
  it('an idle, watched tailer parks without a timer of its own; a look finds a write before any watch event and wakes it', async () => {
    const sweep = new IdleSweep(60_000);
    const { tailer, file, seen } = tailFile(sweep);
    await waitFor(() => seen.includes('first') && sweep.size === 1, { message: 'the tailer never parked' });
    // Nothing changed: a look leaves it parked.
    tailer.sweep();
    expect(sweep.size).toBe(1);
    // Written and looked at in the same turn, before the watch's event can be delivered: the look itself wakes it.
    appendFileSync(file, 'second\n');
    tailer.sweep();
    expect(sweep.size).toBe(0);
    await waitFor(() => seen.includes('second'));
    // Idle again: parked again.
    await waitFor(() => sweep.size === 1, { message: 'the tailer never parked again' });
  });

  it('a write to a parked file is read through the watch, without waiting for the sweep', async () => {
    const sweep = new IdleSweep(3_600_000);
    const { file, seen } = tailFile(sweep);
    await waitFor(() => sweep.size === 1, { message: 'the tailer never parked' });
    appendFileSync(file, 'woken\n');
    await waitFor(() => seen.includes('woken'), { message: 'the watch did not wake the parked tailer' });
  });

  it('a file replaced under its name is noticed by a look and read from its start', async () => {
    const sweep = new IdleSweep(60_000);
    const { tailer, file, seen } = tailFile(sweep);
    await waitFor(() => sweep.size === 1);
    rmSync(file);
    writeFileSync(file, 'replacement\n');
    tailer.sweep();
    await waitFor(() => seen.includes('replacement'), { message: 'the replacement file was never read' });
  });

  it('runs one timer while any tailer is parked and none once all are gone; each parked tailer is looked at every interval', async () => {
    const sweep = new IdleSweep(10);
    let looks = 0;
    const tailer = { sweep: () => void (looks += 1) };
    sweep.park(tailer);
    sweep.park(tailer);
    expect(sweep.size).toBe(1);
    await waitFor(() => looks >= 3);
    sweep.unpark(tailer);
    expect(sweep.size).toBe(0);
    const after = looks;
    // With nothing parked the interval is cleared: a second sweep of its own shows time passing meanwhile.
    const witness = new IdleSweep(10);
    let witnessed = 0;
    witness.park({ sweep: () => void (witnessed += 1) });
    await waitFor(() => witnessed >= 3);
    expect(looks).toBe(after);
  });
});
