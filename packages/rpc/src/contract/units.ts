import * as z from 'zod';
import ms from 'ms';

const SIZE_UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

// Both readers may return Infinity ("1" and 400 zeros): the fields report it as out of
// bounds, and the exported parsers refuse it, so it is never stored (JSON writes null).
function readDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) || value < 0 ? undefined : Math.round(value);
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // ms() throws on an empty string instead of returning undefined.
  if (trimmed === '') return undefined;
  const parsed = ms(trimmed as ms.StringValue) as number | undefined;
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0 ? Math.round(parsed) : undefined;
}

function readSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) || value < 0 ? undefined : Math.round(value);
  const match = SIZE_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const factor = SIZE_UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor);
}

function finiteOrUndefined(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** Parses "250ms", "10s", "5m", "1h" or a number of milliseconds; undefined when invalid or infinite. */
export function parseDuration(value: string | number): number | undefined {
  return finiteOrUndefined(readDuration(value));
}

/** Parses "512MB", "1.5G", "300k" or a number of bytes; undefined when invalid or infinite. */
export function parseSize(value: string | number): number | undefined {
  return finiteOrUndefined(readSize(value));
}

const MAX_SHOWN_CHARACTERS = 40;

/** The received value in a message: long strings cut, Infinity (a JSON number too large) named. */
export function describeReceived(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.length > MAX_SHOWN_CHARACTERS) return `${JSON.stringify(value.slice(0, MAX_SHOWN_CHARACTERS))}... (${value.length} characters)`;
  return JSON.stringify(value) ?? String(value);
}

/** A string or a number; anything else (and a JSON number too large to be finite) is refused naming `expected`. */
function textOrNumber(expected: string) {
  return z.union([z.string(), z.number()], { error: (issue) => `expected ${expected}, received ${describeReceived(issue.input)}` });
}

/**
 * The longest duration a field accepts: Node's timers hold a signed 32-bit delay and fire
 * after 1 ms instead when given more, which would turn a "30d" cooldown into a busy loop.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** The largest size a field accepts (1 TiB): far above any log file or memory limit, far below where doubles lose whole bytes. */
export const MAX_SIZE_BYTES = 1024 ** 4;

const DURATION_FORMS = 'a duration like "500ms", "10s", "5m" or milliseconds';
const SIZE_FORMS = 'a size like "512MB", "1G" or bytes';

export interface Bounds {
  min?: number;
  max?: number;
}

function describeDuration(milliseconds: number): string {
  return milliseconds === MAX_DURATION_MS ? `${MAX_DURATION_MS} ms (about 24.8 days)` : `${milliseconds} ms`;
}

function describeSize(bytes: number): string {
  if (bytes >= 1024 ** 4 && bytes % 1024 ** 4 === 0) return `${bytes / 1024 ** 4} TiB`;
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * A duration field: accepts "10s" or milliseconds, yields milliseconds within [min, max].
 * A lower bound keeps a loop (probe, relaunch) from spinning the daemon's CPU.
 */
export function durationWithin({ min = 0, max = MAX_DURATION_MS }: Bounds) {
  const range = `between ${describeDuration(min)} and ${describeDuration(max)}`;
  return textOrNumber(DURATION_FORMS)
    .transform((value, ctx) => {
      const parsed = readDuration(value);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${DURATION_FORMS}, received ${describeReceived(value)}` });
        return z.NEVER;
      }
      if (parsed > max) {
        ctx.addIssue({ code: 'custom', message: `expected a duration of at most ${describeDuration(max)}, received ${describeReceived(value)}` });
        return z.NEVER;
      }
      if (parsed < min) {
        ctx.addIssue({ code: 'custom', message: `expected a duration of at least ${describeDuration(min)}, received ${describeReceived(value)}` });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ description: `A duration ("500ms", "10s", "5m") or milliseconds, ${range}.` });
}

/** A size field: accepts "200MB" or bytes, yields bytes within [min, max]. */
export function sizeWithin({ min = 0, max = MAX_SIZE_BYTES }: Bounds) {
  const range = `between ${describeSize(min)} and ${describeSize(max)}`;
  return textOrNumber(SIZE_FORMS)
    .transform((value, ctx) => {
      const parsed = readSize(value);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${SIZE_FORMS}, received ${describeReceived(value)}` });
        return z.NEVER;
      }
      if (parsed > max || parsed < min) {
        ctx.addIssue({ code: 'custom', message: `expected a size ${range}, received ${describeReceived(value)}` });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ description: `A size ("512MB", "1.5G", "300k") or bytes, ${range}.` });
}

/** A duration field with no lower bound: accepts "10s" or milliseconds, yields milliseconds. */
export const Duration = durationWithin({});

/** A size field: accepts "200MB" or bytes, yields bytes. */
export const Size = sizeWithin({});
