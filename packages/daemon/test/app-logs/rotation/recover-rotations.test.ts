import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { recoverRotationsSync } from '../../../src/app-logs/rotation/recover-rotations.ts';
import { journalPath, partialPath, rotatedPath } from '../../../src/app-logs/rotation/rotated-paths.ts';
import { writeJournalSync } from '../../../src/app-logs/rotation/rotation-journal.ts';
import { readProcStat } from '../../../src/process/proc-stat.ts';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { fixture } from '@owl/test-support/fixtures';

function appDirectory(): { logs: string; live: string } {
  const logs = mkdtempSync(path.join(tmpdir(), 'owl-recover-'));
  onTestFinished(() => rmSync(logs, { recursive: true, force: true }));
  mkdirSync(path.join(logs, 'web'));
  return { logs, live: path.join(logs, 'web', 'out.log') };
}

describe('recoverRotationsSync', () => {
  it('finishes a committed rotation: installs .1, truncates the live file to its partial line', () => {
    const { logs, live } = appDirectory();
    writeFileSync(rotatedPath(live, 1), 'older\n');
    writeFileSync(partialPath(live), 'a\nb\n');
    writeFileSync(live, 'a\nb\nunfinish');
    writeJournalSync(live, { phase: 'committed', pids: [], end: 12, pending: Buffer.from('unfinish').toString('base64'), keep: 5 });

    expect(recoverRotationsSync(logs)).toEqual([`${live}: truncation finished`]);
    expect(readFileSync(live, 'utf8')).toBe('unfinish');
    expect(readFileSync(rotatedPath(live, 1), 'utf8')).toBe('a\nb\n');
    expect(readFileSync(rotatedPath(live, 2), 'utf8')).toBe('older\n');
    expect(existsSync(partialPath(live))).toBe(false);
    expect(existsSync(journalPath(live))).toBe(false);
  });

  it('drops an uncommitted rotation (the live file still holds everything) and stray partials', () => {
    const { logs, live } = appDirectory();
    writeFileSync(partialPath(live), 'a\n');
    writeFileSync(live, 'a\nb\n');
    writeJournalSync(live, { phase: 'pausing', pids: [] });
    const stray = partialPath(path.join(logs, 'web', 'err.log'));
    writeFileSync(stray, 'x');

    expect(recoverRotationsSync(logs)).toEqual([`${live}: rotation had not committed, live file left as is`]);
    expect(readFileSync(live, 'utf8')).toBe('a\nb\n');
    expect(existsSync(partialPath(live))).toBe(false);
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(rotatedPath(live, 1))).toBe(false);
  });

  it.runIf(process.platform === 'linux')('continues the writers a crashed rotation left paused', async () => {
    const { logs, live } = appDirectory();
    const marker = path.join(logs, 'marker.jsonl');
    const writer = spawn(process.execPath, [fixture('forever.mjs')], { stdio: 'ignore', env: { ...process.env, OWL_FIXTURE_MARKER: marker } });
    onTestFinished(() => {
      writer.kill('SIGKILL');
    });
    await waitForMarker(marker, 'ready');
    const pid = writer.pid as number;
    process.kill(pid, 'SIGSTOP');
    await waitFor(async () => (await readProcStat(pid))?.state === 'T');
    writeFileSync(live, 'a\n');
    writeJournalSync(live, { phase: 'pausing', pids: [pid] });

    recoverRotationsSync(logs);
    await waitFor(async () => (await readProcStat(pid))?.state !== 'T', { message: `pid ${pid} stayed stopped` });
  });
});
