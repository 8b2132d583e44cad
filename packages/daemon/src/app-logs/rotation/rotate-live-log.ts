import { PRIVATE_FILE_MODE } from '../../home/private-files.ts';
import { rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { commitRotationSync } from './commit-rotation.ts';
import { planWriterPause } from '../../pause/writer-pause-plan.ts';
import type { PauseOutcome } from '../../pause/pause-processes.ts';
import { partialPath } from './rotated-paths.ts';
import { removeJournalSync, writeJournalSync } from './rotation-journal.ts';
import type { RotationSubject } from './rotation-subject.ts';
import type { ReadBufferPool } from '../read-buffers.ts';

/** `deferred`: this platform cannot pause writers, so rotation waits until the app is not running. */
export type RotationOutcome =
  | { rotated: true; rotatedBytes: number; pausedWriters: number; pausedMs: number }
  | { rotated: false; reason: string; deferred?: true };

export interface RotationOptions {
  freezeTimeoutMs: number;
  /** The copies read through these (one at a time), not through fresh buffers. */
  buffers: ReadBufferPool;
}

/**
 * Rotates a live log that the app keeps appending to through its own descriptor (so the file
 * cannot be renamed away). While the app runs: find its writers and copy what is there to
 * `.1.partial`. Then pause every writer (SIGSTOP on Linux, NtSuspendProcess on Windows), read
 * the few bytes that arrived since, finish `.1`, truncate the live file back to its
 * unfinished last line and resume them. Nothing can be appended while the file is truncated,
 * so no byte is lost.
 */
export async function rotateLiveLog(subject: RotationSubject, options: RotationOptions): Promise<RotationOutcome> {
  const plan = planWriterPause(subject);
  if (plan.kind === 'deferred') return { rotated: false, reason: plan.reason, deferred: true };
  let copied: number;
  try {
    copied = await copyWhileRunning(subject, options.buffers);
  } catch (error) {
    rmSync(partialPath(subject.file), { force: true });
    return { rotated: false, reason: String(error) };
  }
  const record = (pids: readonly number[]): void => writeJournalSync(subject.file, { phase: 'pausing', pids: [...pids] });
  const pause: PauseOutcome = plan.pause({ timeoutMs: options.freezeTimeoutMs, record });
  if (!pause.ok) {
    removeJournalSync(subject.file);
    rmSync(partialPath(subject.file), { force: true });
    return { rotated: false, reason: pause.reason };
  }
  try {
    const rotatedBytes = commitRotationSync(subject, copied, pause.paused.pids, options.buffers);
    return { rotated: true, rotatedBytes, pausedWriters: pause.paused.pids.length, pausedMs: performance.now() - pause.paused.since };
  } catch (error) {
    rmSync(partialPath(subject.file), { force: true });
    return { rotated: false, reason: String(error) };
  } finally {
    pause.paused.resume();
    removeJournalSync(subject.file);
  }
}

/**
 * Copies the live file's complete lines to `.1.partial` (flushed) in two rounds: the second
 * takes what arrived during the first, so little is left to read while writers are paused.
 * Returns how many bytes `.1.partial` holds.
 */
async function copyWhileRunning(subject: RotationSubject, buffers: ReadBufferPool): Promise<number> {
  if (subject.keep === 0) {
    await subject.catchUp();
    return 0;
  }
  const live = await open(subject.file, 'r');
  const partial = await open(partialPath(subject.file), 'w', PRIVATE_FILE_MODE);
  try {
    if ((await live.stat()).ino !== subject.ino) throw new Error(`${subject.file} was replaced before rotating`);
    let copied = 0;
    for (let round = 0; round < 2; round += 1) {
      await subject.catchUp();
      copied = await appendRange(live, partial, copied, subject.offset - subject.pending().length, buffers);
      await partial.datasync();
    }
    return copied;
  } finally {
    await live.close();
    await partial.close();
  }
}

/** Appends live[from, to) to target; returns `to`. */
async function appendRange(live: FileHandle, target: FileHandle, from: number, to: number, buffers: ReadBufferPool): Promise<number> {
  const buffer = buffers.acquire();
  try {
    for (let position = from; position < to; ) {
      const { bytesRead } = await live.read(buffer, 0, Math.min(buffer.length, to - position), position);
      if (bytesRead === 0) throw new Error(`live log shrank while rotating (expected ${to} bytes, found ${position})`);
      await target.write(buffer, 0, bytesRead);
      position += bytesRead;
    }
  } finally {
    buffers.release(buffer);
  }
  return to;
}
