import { z } from 'zod';
import ms from 'ms';

const SIZE_UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/** Parses "250ms", "10s", "5m", "1h" or a number of milliseconds; undefined when invalid. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // ms() throws on an empty string instead of returning undefined.
  if (trimmed === '') return undefined;
  const parsed = ms(trimmed as ms.StringValue) as number | undefined;
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0 ? Math.round(parsed) : undefined;
}

/** Parses "512MB", "1.5G", "300k" or a number of bytes; undefined when invalid. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  const match = SIZE_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const factor = SIZE_UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor);
}

/**
 * The longest duration a field accepts: Node's timers hold a signed 32-bit delay and fire
 * after 1 ms instead when given more, which would turn a "30d" cooldown into a busy loop.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** A duration field: accepts "10s" or milliseconds, yields milliseconds. */
export const Duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const parsed = parseDuration(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like "500ms", "10s", "5m" or milliseconds, received ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  if (parsed > MAX_DURATION_MS) {
    ctx.addIssue({ code: 'custom', message: `expected a duration of at most ${MAX_DURATION_MS} ms (about 24.8 days), received ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return parsed;
});

/** A size field: accepts "200MB" or bytes, yields bytes. */
export const Size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const parsed = parseSize(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a size like "512MB", "1G" or bytes, received ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return parsed;
});
