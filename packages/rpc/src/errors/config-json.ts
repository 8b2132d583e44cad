import { OwlError } from './owl-error.ts';
import { findJsonProblem } from './find-json-problem.ts';

/** 1-based line and column of `offset` in `text`, as editors count them. */
export function lineAndColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * Parses the text of a JSON file owl reads (owl.config.json, config.json, remotes, tokens).
 * Bad JSON, a key repeated in one object and a number too large to represent are each an
 * OWL_CONFIG_INVALID error whose message starts with `file:line:column:` like a compiler's.
 */
export function parseConfigJson(file: string, text: string): unknown {
  // Windows editors like to save a byte-order mark, which JSON.parse refuses.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // Scanned first, valid or not: JSON.parse would accept a repeated key and let the last win.
  const problem = findJsonProblem(json);
  if (problem !== null) {
    const { line, column } = lineAndColumnAt(json, problem.offset);
    throw new OwlError('OWL_CONFIG_INVALID', `${file}:${line}:${column}: invalid JSON: ${problem.problem}`, { data: { file, line, column } });
  }
  return JSON.parse(json);
}

/** A file that exists but cannot be read (permissions, a directory in its place). */
export function unreadableConfigError(file: string, error: unknown): OwlError {
  return new OwlError('OWL_CONFIG_INVALID', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
}
