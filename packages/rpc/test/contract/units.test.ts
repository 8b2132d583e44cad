import { describe, expect, it } from 'vitest';
import { Duration, MAX_DURATION_MS, parseDuration, parseSize, Size } from '../../src/contract/units.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['5m', 300_000],
    ['5 min', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['10S', 10_000],
    ['  10s  ', 10_000],
    ['1500', 1_500],
    ['007', 7],
    ['0', 0],
    ['10.4', 10],
  ] as const)('parses %j as %i ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([[0, 0], [1500, 1500], [1.6, 2]] as const)('takes the number %j as %i ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each(['', '   ', '10 parsecs', 'ten seconds', '-5s', '1e3', 's', '10s5', `${'1'.repeat(100)}s`])('refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %s', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('parseSize', () => {
  it.each([
    ['0', 0],
    ['100', 100],
    ['100b', 100],
    ['300k', 300 * 1024],
    ['300KB', 300 * 1024],
    ['512MB', 512 * 1024 ** 2],
    ['512 mb', 512 * 1024 ** 2],
    ['1.5G', 1.5 * 1024 ** 3],
    ['2gb', 2 * 1024 ** 3],
    [' 1m ', 1024 ** 2],
  ] as const)('parses %j as %i bytes', (input, expected) => {
    expect(parseSize(input)).toBe(expected);
  });

  it.each([[4096, 4096], [10.5, 11]] as const)('takes the number %j as %i bytes', (input, expected) => {
    expect(parseSize(input)).toBe(expected);
  });

  it.each(['', 'MB', '1TB', '-1MB', '1e6', '1.5.5MB', 'ten MB', '12 parsecs'])('refuses %j', (input) => {
    expect(parseSize(input)).toBeUndefined();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %s', (input) => {
    expect(parseSize(input)).toBeUndefined();
  });
});

describe('Duration and Size fields', () => {
  it('yield milliseconds and bytes', () => {
    expect(Duration.parse('10s')).toBe(10_000);
    expect(Duration.parse(MAX_DURATION_MS)).toBe(MAX_DURATION_MS);
    expect(Size.parse('1k')).toBe(1024);
  });

  it('name what they expected and what they received', () => {
    expect(Duration.safeParse('10 parsecs').error?.issues[0]?.message).toBe(
      'expected a duration like "500ms", "10s", "5m" or milliseconds, received "10 parsecs"',
    );
    expect(Duration.safeParse(MAX_DURATION_MS + 1).error?.issues[0]?.message).toBe(
      'expected a duration of at most 2147483647 ms (about 24.8 days), received 2147483648',
    );
    expect(Size.safeParse('1TB').error?.issues[0]?.message).toBe('expected a size like "512MB", "1G" or bytes, received "1TB"');
  });
});
