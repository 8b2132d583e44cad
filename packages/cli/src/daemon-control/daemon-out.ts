import { readFile } from 'node:fs/promises';

/** The last line the daemon printed, to explain a failed start. */
export async function readDaemonOutTail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.trim().split('\n');
  return (lines.at(-1) ?? '').replace(/^owld: /, '');
}
