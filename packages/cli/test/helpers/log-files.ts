import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LogLine } from '@owl/rpc/contract';
import { owlJson } from '@owl/test-support/owl';

/** Rotated generations of `live` that exist, oldest first (`.N` ... `.1`). */
export function rotatedFiles(live: string): string[] {
  const base = path.basename(live);
  return readdirSync(path.dirname(live))
    .filter((name) => name.startsWith(`${base}.`) && /^\d+$/.test(name.slice(base.length + 1)))
    .map((name) => ({ name, generation: Number(name.slice(base.length + 1)) }))
    .sort((a, b) => b.generation - a.generation)
    .map(({ name }) => path.join(path.dirname(live), name));
}

/** Every line in the rotated files and the live file, in order. */
export function linesOnDisk(live: string): string[] {
  const text = [...rotatedFiles(live), live].map((file) => readFileSync(file, 'utf8')).join('');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function logLines(home: string, args: string[]): Promise<LogLine[]> {
  return owlJson<LogLine[]>(['logs', ...args], home);
}

/** The first index where `lines` stops being `first`, `first + 1`, ... (as parsed by `numberOf`); -1 when none. */
export function firstGap(lines: readonly string[], numberOf: (line: string) => number, first: number): number {
  return lines.findIndex((line, index) => numberOf(line) !== first + index);
}
