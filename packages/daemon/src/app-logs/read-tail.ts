import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { rotatedPath } from './rotation/rotated-paths.ts';

/**
 * The last `lines` lines of a log (reads at most `maxBytes` from the end of each file); []
 * when missing. When the live file holds fewer (it was just rotated), the rest comes from
 * the end of its newest rotated generation, `<file>.1`. Synchronous: it sits on the path from
 * a crash to the relaunch, where a few reads of a local file cost less than waiting for a
 * turn of the thread pool (which log tails, state and audit writes keep busy).
 */
export function readTailLinesSync(file: string, lines: number, maxBytes: number = 64 * 1024): string[] {
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
    const buffer = Buffer.alloc(length);
    const bytesRead = length === 0 ? 0 : readSync(descriptor, buffer, 0, length, size - length);
    const all = buffer.toString('utf8', 0, bytesRead).split('\n');
    if (all.at(-1) === '') all.pop();
    // The first line may be cut by the byte window; drop it unless the whole file was read.
    if (length < size) all.shift();
    return { lines: all.slice(-lines), whole: length === size };
  } finally {
    closeSync(descriptor);
  }
}
