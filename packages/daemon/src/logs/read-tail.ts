import { open } from 'node:fs/promises';

/** The last `lines` lines of a file (reads at most `maxBytes` from its end); [] when missing. */
export async function readTailLines(file: string, lines: number, maxBytes: number = 64 * 1024): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return [];
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
    return all.slice(-lines);
  } finally {
    await handle.close();
  }
}
