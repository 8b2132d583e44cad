import { OwlError } from '@owl/rpc';
import { findJsonSyntaxError } from './find-json-syntax-error.ts';

/** 1-based line and column of `offset` in `text`, as editors count them. */
export function lineAndColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * Parses the text of a config file; a syntax error becomes an OWL_CONFIG_INVALID error
 * whose message starts with `file:line:column:` like a compiler's.
 */
export function parseConfigJson(file: string, text: string): unknown {
  // Windows editors like to save a byte-order mark, which JSON.parse refuses.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(json);
  } catch (cause) {
    const syntaxError = findJsonSyntaxError(json);
    if (syntaxError === null) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new OwlError('OWL_CONFIG_INVALID', `${file}: invalid JSON: ${detail}`, { cause, data: { file } });
    }
    const { line, column } = lineAndColumnAt(json, syntaxError.offset);
    throw new OwlError('OWL_CONFIG_INVALID', `${file}:${line}:${column}: invalid JSON: ${syntaxError.problem}`, {
      cause,
      data: { file, line, column },
    });
  }
}
