import { PRIVATE_FILE_MODE } from '../../home/private-files.ts';
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import type { RotationSubject } from './rotation-subject.ts';
import type { ReadBufferPool } from '../read-buffers.ts';
import { partialPath, rotatedPath, shiftGenerationsSync } from './rotated-paths.ts';
import { writeJournalSync } from './rotation-journal.ts';

/**
 * The part of a rotation that runs while every writer is paused: read the last bytes, finish
 * `.1.partial`, put it in place as `.1`, truncate the live file to the unfinished last line.
 * `copied` bytes are already in `.1.partial`. Returns the bytes rotated out of the live file.
 */
export function commitRotationSync(subject: RotationSubject, copied: number, pausedPids: readonly number[], buffers: ReadBufferPool): number {
  const live = openSync(subject.file, 'r+');
  try {
    if (fstatSync(live).ino !== subject.ino) throw new Error(`${subject.file} was replaced while rotating`);
    drainSync(live, subject, buffers);
    const end = subject.offset;
    const pending = subject.pending();
    if (subject.keep > 0) finishPartialSync(live, subject.file, copied, end - pending.length, buffers);
    // From here on a crash is finished at boot (recoverRotationsSync) rather than undone.
    writeJournalSync(subject.file, { phase: 'committed', pids: [...pausedPids], end, pending: pending.toString('base64'), keep: subject.keep });
    if (subject.keep > 0) installPartialSync(subject.file, subject.keep);
    ftruncateSync(live, 0);
    writeSync(live, pending, 0, pending.length, 0);
    subject.truncated(pending.length);
    return end - pending.length;
  } finally {
    closeSync(live);
  }
}

/** Shifts the older generations up and renames the finished partial to `.1`. */
export function installPartialSync(file: string, keep: number): void {
  shiftGenerationsSync(file, keep);
  renameSync(partialPath(file), rotatedPath(file, 1));
}

function drainSync(live: number, subject: RotationSubject, buffers: ReadBufferPool): void {
  const buffer = buffers.acquire();
  try {
    for (;;) {
      const read = readSync(live, buffer, 0, buffer.length, subject.offset);
      if (read === 0) return;
      subject.consume(buffer.subarray(0, read));
    }
  } finally {
    buffers.release(buffer);
  }
}

function finishPartialSync(live: number, file: string, from: number, to: number, buffers: ReadBufferPool): void {
  const partial = openSync(partialPath(file), 'a', PRIVATE_FILE_MODE);
  const buffer = buffers.acquire();
  try {
    for (let position = from; position < to; ) {
      const read = readSync(live, buffer, 0, Math.min(buffer.length, to - position), position);
      if (read === 0) throw new Error(`live log shrank while rotating (expected ${to} bytes, found ${position})`);
      writeSync(partial, buffer, 0, read);
      position += read;
    }
    fdatasyncSync(partial);
  } finally {
    buffers.release(buffer);
    closeSync(partial);
  }
}
