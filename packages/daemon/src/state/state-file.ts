import { link, readFile, rename, rm } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.ts';

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
    warning = `${options.file} is unreadable (${current.reason}); kept aside as ${aside}`;
  }
  if (previous.ok) {
    return { value: previous.value, recovery: 'prev', warning: `${warning ?? `${options.file} is missing`}; recovered from ${options.prevFile}` };
  }
  return { value: options.empty(), recovery: 'empty', warning: `${warning}; ${options.prevFile} unusable too (${previous.reason}); starting empty` };
}

/**
 * Persists state atomically, one write at a time; the generation being replaced becomes
 * `.prev`. Writes requested while one is in flight coalesce into the newest value.
 */
export class StateWriter<T> {
  readonly #options: StateFileOptions<T>;
  #pending: T | undefined;
  #running: Promise<void> | undefined;
  #hasCurrent: boolean;

  constructor(options: StateFileOptions<T>, hasCurrent: boolean) {
    this.#options = options;
    this.#hasCurrent = hasCurrent;
  }

  /** Resolves once `value` (or a newer one) is durable on disk. */
  save(value: T): Promise<void> {
    this.#pending = value;
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#pending !== undefined) {
      const value = this.#pending;
      this.#pending = undefined;
      if (this.#hasCurrent) await this.#keepPrevious();
      await writeFileAtomic(this.#options.file, `${JSON.stringify(value, null, 2)}\n`);
      this.#hasCurrent = true;
    }
  }

  /** The file on disk was written by us and is known good: hard-link it into place as `.prev`, atomically. */
  async #keepPrevious(): Promise<void> {
    const temp = `${this.#options.prevFile}.${process.pid}.tmp`;
    await rm(temp, { force: true });
    try {
      await link(this.#options.file, temp);
      await rename(temp, this.#options.prevFile);
    } catch {
      // No hard links on this file system: keep the older .prev rather than risk a torn one.
      await rm(temp, { force: true });
    }
  }
}
