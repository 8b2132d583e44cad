import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDaemonLog } from '../../src/daemon-log/daemon-log.ts';
import { waitFor } from '@owl/test-support/wait-for';
import { fillFileSystem, mountSmallTmpfs } from '@owl/test-support/small-tmpfs';

const LINE = /^\d{4}-\d\d-\d\dT[\d:.]+Z (info|warn|error) /;

describe('daemon.log on a full disk', () => {
  it('survives ENOSPC: lines are counted while it fails, the note starts a fresh line after a torn one, and logging resumes', async (context) => {
    const mounted = mountSmallTmpfs('64k');
    if ('skip' in mounted) {
      console.warn(mounted.skip);
      return context.skip();
    }
    const file = path.join(mounted.directory, 'daemon.log');
    const log = openDaemonLog(file);
    // Nearly a page of lines first, so the next long line crosses into a page the full disk lacks.
    log.info('first');
    for (let index = 0; statSync(file).size < 4_096 - 150; index += 1) log.info(`filler line ${index} ${'x'.repeat(60)}`);
    const filler = path.join(mounted.directory, 'filler');
    fillFileSystem(filler);
    log.error(`the line that tears ${'y'.repeat(400)}`);
    log.info('lost while full');
    rmSync(filler);
    // Once space is back, the next line after the retry interval lands, preceded by the note.
    await waitFor(
      () => {
        log.info('back');
        return readFileSync(file, 'utf8').includes(' info back\n');
      },
      { intervalMs: 100, message: 'daemon.log never resumed' },
    );
    await log.close();
    const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
    const noteIndex = lines.findIndex((line) => line.includes('warn daemon.log could not be written from'));
    expect(lines[noteIndex]).toMatch(/ \(ENOSPC\): \d+ lines lost$/);
    expect(Number(/: (\d+) lines lost$/.exec(lines[noteIndex] as string)?.[1])).toBeGreaterThanOrEqual(2);
    // The torn line is cut short where the disk ran out, and stands alone: everything else is whole.
    expect(lines[noteIndex - 1]).toMatch(/error the line that tears y*$/);
    expect(lines[noteIndex - 1]?.length).toBeLessThan(`the line that tears ${'y'.repeat(400)}`.length);
    expect(lines.filter((line, index) => index !== noteIndex - 1 && !LINE.test(line))).toEqual([]);
  });
});
