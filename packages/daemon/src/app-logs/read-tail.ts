import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { rotatedPath } from './rotation/rotated-paths.ts';

const NEWLINE = 0x0a;
const DEFAULT_MAX_BYTES = 64 * 1024;

// One window for every read of the default size (this module reads synchronously, so no two
// reads overlap, and lines are decoded out of it): a crash loop no longer allocates a fresh
// 64 KiB buffer, zero-filled, per crash.
let sharedWindow: Buffer | undefined;

function windowOf(length: number): Buffer {
  if (length > DEFAULT_MAX_BYTES) return Buffer.allocUnsafe(length);
  sharedWindow ??= Buffer.allocUnsafeSlow(DEFAULT_MAX_BYTES);
  return sharedWindow;
}

/**
 * The last `lines` lines of a log (reads at most `maxBytes` from the end of each file); []
 * when missing. When the live file holds fewer (it was just rotated), the rest comes from
 * the end of its newest rotated generation, `<file>.1`. Synchronous: it sits on the path from
 * a crash to the relaunch, where a few reads of a local file cost less than waiting for a
 * turn of the thread pool (which log tails, state and audit writes keep busy).
 */
export function readTailLinesSync(file: string, lines: number, maxBytes: number = DEFAULT_MAX_BYTES): string[] {
  const live = readFileTail(file, lines, maxBytes);
  if (!live.whole || live.lines.length >= lines) return live.lines;
  const older = readFileTail(rotatedPath(file, 1), lines - live.lines.length, maxBytes);
  return [...older.lines, ...live.lines];
}

/** `whole`: the file was read from its first byte (there is nothing older in it). */
function readFileTail(file: string, lines: number, maxBytes: number): { lines: string[]; whole: boolean } {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch {
    return { lines: [], whole: true };
  }
  try {
    const { size } = fstatSync(descriptor);
    const length = Math.min(size, maxBytes);
    const buffer = windowOf(length);
    const bytesRead = length === 0 ? 0 : readSync(descriptor, buffer, 0, length, size - length);
    // The first line may be cut by the byte window; skip it unless the whole file was read.
    return { lines: lastLinesOf(buffer.subarray(0, bytesRead), lines, length < size), whole: length === size };
  } finally {
    closeSync(descriptor);
  }
}

/**
 * The last `count` lines of `buffer`, each decoded on its own: lines split out of one decoded
 * window would be slices of it, and a crash event that keeps ten short lines would keep the
 * whole window (up to 64 KiB) alive for as long as the event is held.
 */
function lastLinesOf(buffer: Buffer, count: number, skipFirst: boolean): string[] {
  if (buffer.length === 0) return [];
  const lines: string[] = [];
  // A final newline ends the last line; it does not start an empty one.
  let end = buffer[buffer.length - 1] === NEWLINE ? buffer.length - 1 : buffer.length;
  while (lines.length < count) {
    const newline = end > 0 ? buffer.lastIndexOf(NEWLINE, end - 1) : -1;
    if (newline === -1 && skipFirst) break;
    lines.push(buffer.toString('utf8', newline + 1, end));
    if (newline === -1) break;
    end = newline;
  }
  return lines.reverse();
}
