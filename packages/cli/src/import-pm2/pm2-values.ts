import { parseDuration, parseSize } from '@owl/rpc/contract';

/** PM2 takes `args` as an array or one string split like a shell would (quotes kept together). */
export function splitArgs(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const words: string[] = [];
  for (const match of value.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

/** Milliseconds from a PM2 duration: a number of ms, or a string such as "5s" or "1h". */
export function durationMs(value: unknown): number | null {
  return typeof value === 'number' || typeof value === 'string' ? (parseDuration(value) ?? null) : null;
}

/** Bytes from PM2's max_memory_restart: a number of bytes, or "200M", "1G", "512K". */
export function sizeBytes(value: unknown): number | null {
  const bytes = typeof value === 'number' || typeof value === 'string' ? parseSize(value) : undefined;
  return bytes === undefined || bytes === 0 ? null : bytes;
}

/** A PM2 value as a short table cell. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 48 ? `${text.slice(0, 45)}...` : text;
}
