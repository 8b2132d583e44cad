import { readFile, rename } from 'node:fs/promises';
import { boundKeptAside } from './keep-aside.ts';

export type Recovery = 'clean' | 'prev' | 'empty' | 'new';

export interface LoadedState<T> {
  value: T;
  recovery: Recovery;
  /** Set when the current file was unreadable; names the file kept aside. */
  warning?: string;
}

export interface StateFileOptions<T> {
  file: string;
  prevFile: string;
  /** Validates what was read; throws when it is not a usable state. */
  parse(value: unknown): T;
  empty(): T;
}

async function tryRead<T>(file: string, parse: (value: unknown) => T): Promise<{ ok: true; value: T } | { ok: false; missing: boolean; reason: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: code === 'ENOENT', reason: code ?? String(error) };
  }
  try {
    return { ok: true, value: parse(JSON.parse(text)) };
  } catch (error) {
    return { ok: false, missing: false, reason: (error as Error).message };
  }
}

/**
 * Loads the state: the current file, else the previous good generation, else empty. A corrupt
 * current file is kept aside as `<file>.corrupt-<time>` so nothing is silently destroyed.
 */
export async function loadStateFile<T>(options: StateFileOptions<T>): Promise<LoadedState<T>> {
  const current = await tryRead(options.file, options.parse);
  if (current.ok) return { value: current.value, recovery: 'clean' };
  const previous = await tryRead(options.prevFile, options.parse);
  if (current.missing && !previous.ok) return { value: options.empty(), recovery: 'new' };
  let warning: string | undefined;
  if (!current.missing) {
    const aside = `${options.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(options.file, aside).catch(() => undefined);
    await boundKeptAside(options.file);
    warning = `${options.file} is unreadable (${current.reason}); kept aside as ${aside}`;
  }
  if (previous.ok) {
    return { value: previous.value, recovery: 'prev', warning: `${warning ?? `${options.file} is missing`}; recovered from ${options.prevFile}` };
  }
  return { value: options.empty(), recovery: 'empty', warning: `${warning}; ${options.prevFile} unusable too (${previous.reason}); starting empty` };
}
