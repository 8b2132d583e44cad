import { open } from 'node:fs/promises';
import { rotatedPath } from './rotation/rotated-paths.ts';

/**
 * The last `lines` lines of a log (reads at most `maxBytes` from the end of each file); []
 * when missing. When the live file holds fewer (it was just rotated), the rest comes from
 * the end of its newest rotated generation, `<file>.1`.
 */
export async function readTailLines(file: string, lines: number, maxBytes: number = 64 * 1024): Promise<string[]> {
  const live = await readFileTail(file, lines, maxBytes);
  if (!live.whole || live.lines.length >= lines) return live.lines;
  const older = await readFileTail(rotatedPath(file, 1), lines - live.lines.length, maxBytes);
  return [...older.lines, ...live.lines];
}

/** `whole`: the file was read from its first byte (there is nothing older in it). */
async function readFileTail(file: string, lines: number, maxBytes: number): Promise<{ lines: string[]; whole: boolean }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return { lines: [], whole: true };
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const all = buffer.toString('utf8').split('\n');
    if (all.at(-1) === '') all.pop();
    // The first line may be cut by the byte window; drop it unless the whole file was read.
    if (length < size) all.shift();
    return { lines: all.slice(-lines), whole: length === size };
  } finally {
    await handle.close();
  }
}
