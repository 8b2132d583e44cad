import { readFileSync, writeFileSync } from 'node:fs';

/** The non-empty lines of a line-per-record file (audit.log, events.jsonl). */
export function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
}

/** Rewrites a line-per-record file, e.g. after a test tampered with a record. */
export function writeLines(file: string, lines: string[]): void {
  writeFileSync(file, `${lines.join('\n')}\n`);
}
