import { closeSync, openSync, writeSync } from 'node:fs';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE, restrictOpenFile } from '../home/private-files.ts';
import path from 'node:path';

export type LogLevel = 'info' | 'warn' | 'error';

export interface DaemonLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  close(): Promise<void>;
}

/** While daemon.log cannot be written, one attempt per this interval; lines in between are counted, not kept. */
const RETRY_INTERVAL_MS = 1_000;

/**
 * The daemon's own log: one line per entry, `<iso time> <level> <message>`. Lines are written
 * synchronously (few, short, and never lost in a buffer when the daemon is killed). A failed
 * write (disk full, I/O error) never stops the log: lines are counted while it fails, and the
 * first line that lands again is preceded by a note saying how many were lost, on a line of its
 * own even when the failure tore the last one.
 */
export function openDaemonLog(file: string, echo: boolean = false): DaemonLog {
  ensurePrivateDirectory(path.dirname(file));
  const writer = new ResilientLineWriter(file);
  const write = (level: LogLevel, message: string): void => {
    const line = `${new Date().toISOString()} ${level} ${message}\n`;
    writer.write(line);
    if (echo) process.stderr.write(line);
  };
  return {
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
    close: async () => writer.close(),
  };
}

class ResilientLineWriter {
  readonly #file: string;
  #fd: number | undefined;
  #failure: { error: string; since: string; lost: number; torn: boolean; retryAt: number } | undefined;
  // Set when the last failed write had already written part of its line.
  #tornNow = false;

  constructor(file: string) {
    this.#file = file;
  }

  write(line: string): void {
    const failure = this.#failure;
    if (failure && Date.now() < failure.retryAt) {
      failure.lost += 1;
      return;
    }
    try {
      if (this.#fd === undefined) {
        this.#fd = openSync(this.#file, 'a', PRIVATE_FILE_MODE);
        // Owner only, also when an older version created the file 0644.
        restrictOpenFile(this.#fd);
      }
      if (failure) this.#writeAll(this.#recoveryNote(failure));
      this.#writeAll(line);
      this.#failure = undefined;
    } catch (error) {
      const errno = error as NodeJS.ErrnoException;
      this.#failure = {
        error: errno.code ?? String(error),
        since: failure?.since ?? new Date().toISOString(),
        lost: (failure?.lost ?? 0) + 1,
        torn: (failure?.torn ?? false) || this.#tornNow,
        retryAt: Date.now() + RETRY_INTERVAL_MS,
      };
    }
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Writes every byte or throws; a throw after some bytes landed leaves a torn line behind. */
  #writeAll(text: string): void {
    const buffer = Buffer.from(text);
    let offset = 0;
    this.#tornNow = false;
    while (offset < buffer.length) {
      try {
        offset += writeSync(this.#fd as number, buffer, offset);
      } catch (error) {
        this.#tornNow = offset > 0;
        throw error;
      }
    }
  }

  #recoveryNote(failure: { error: string; since: string; lost: number; torn: boolean }): string {
    const note = `${new Date().toISOString()} warn daemon.log could not be written from ${failure.since} (${failure.error}): ${failure.lost} lines lost\n`;
    // The failed write may have left half a line: the note starts a line of its own.
    return failure.torn ? `\n${note}` : note;
  }
}
