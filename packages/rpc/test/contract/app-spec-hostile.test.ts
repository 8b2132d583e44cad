import { describe, expect, it } from 'vitest';
import { AppSpecInputSchema } from '../../src/contract/app-spec.ts';

function issuesOf(input: Record<string, unknown>): string[] {
  const result = AppSpecInputSchema.safeParse({ name: 'web', command: 'node', ...input });
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const HUGE = `1${'0'.repeat(400)}`;
const HUGE_SHOWN = `"1${'0'.repeat(39)}"... (401 characters)`;

describe('AppSpecInputSchema refuses what cannot work', () => {
  it.each([
    [{ maxMemory: HUGE }, `maxMemory: expected a size between 1 MiB and 1 TiB, received ${HUGE_SHOWN}`],
    [{ logs: { maxSize: HUGE } }, `logs.maxSize: expected a size between 64 KiB and 1 TiB, received ${HUGE_SHOWN}`],
    [{ logs: { maxSize: '2TB' } }, 'logs.maxSize: expected a size like "512MB", "1G" or bytes, received "2TB"'],
    [{ logs: { maxSize: 1024 ** 4 + 1 } }, 'logs.maxSize: expected a size between 64 KiB and 1 TiB, received 1099511627777'],
    [{ logs: { maxSize: 100 } }, 'logs.maxSize: expected a size between 64 KiB and 1 TiB, received 100'],
    [{ restart: { delay: HUGE } }, `restart.delay: expected a duration of at most 2147483647 ms (about 24.8 days), received ${HUGE_SHOWN}`],
    [{ health: { tcp: 80, interval: 0 } }, 'health.interval: expected a duration of at least 100 ms, received 0'],
    [{ health: { tcp: 80, timeout: '1ms' } }, 'health.timeout: expected a duration of at least 10 ms, received "1ms"'],
    [{ restart: { backoff: { initial: 0 } } }, 'restart.backoff.initial: expected a duration of at least 50 ms, received 0'],
    [{ restart: { backoff: { max: '0ms' } } }, 'restart.backoff.max: expected a duration of at least 50 ms, received "0ms"'],
    [{ restart: { minUptime: 0 } }, 'restart.minUptime: expected a duration of at least 100 ms, received 0'],
    [{ restart: { cooldown: '10ms' } }, 'restart.cooldown: expected a duration of at least 1000 ms, received "10ms"'],
    [{ instances: 65 }, 'instances: Too big: expected number to be <=64'],
  ])('bounds numbers: %j', (input, expected) => {
    expect(issuesOf(input)).toEqual([expected]);
  });

  it('refuses a number JSON turns into Infinity', () => {
    const parsed = JSON.parse(`{"logs":{"maxSize":1e400},"instances":1e400}`) as Record<string, unknown>;
    expect(issuesOf(parsed)).toEqual([
      'instances: Invalid input: expected number, received Infinity',
      'logs.maxSize: expected a size like "512MB", "1G" or bytes, received Infinity',
    ]);
  });

  it.each([
    [{ command: 'node\0evil' }, 'command'],
    [{ args: ['ok', 'a\0b'] }, 'args.1'],
    [{ cwd: '/tmp\0/x' }, 'cwd'],
    [{ env: { PORT: '80\0' } }, 'env.PORT'],
    [{ health: { exec: 'check\0' } }, 'health.exec'],
  ])('refuses a NUL byte in %j', (input, path) => {
    expect(issuesOf(input)).toEqual([`${path}: expected no NUL character (\\u0000): the OS would cut the string there`]);
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'gopher://127.0.0.1:70/', 'ftp://example.com/'])('refuses the probe URL %s', (url) => {
    expect(issuesOf({ health: { http: url } })).toEqual(['health.http: expected an http:// or https:// URL']);
  });

  it('accepts http and https probe URLs', () => {
    expect(issuesOf({ health: { http: 'https://example.com/healthz' } })).toEqual([]);
    expect(issuesOf({ health: { http: 'http://127.0.0.1:8080/' } })).toEqual([]);
  });

  it.each(['CON', 'con', 'Prn', 'AUX', 'NUL', 'nul.log', 'COM1', 'com9', 'LPT1', 'LPT1.txt', 'lpt9.tar.gz'])('refuses the Windows device name %s', (name) => {
    expect(issuesOf({ name })).toEqual([
      `name: expected a name usable as a directory on every OS: "${name}" is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension)`,
    ]);
  });

  it.each(['web.', 'a..'])('refuses the name %s ending in a dot', (name) => {
    expect(issuesOf({ name })).toEqual([`name: expected a name usable as a directory on every OS: "${name}" ends in a dot or a space, which Windows strips from file names`]);
  });

  it('refuses a name ending in a space', () => {
    expect(issuesOf({ name: 'web ' })[0]).toBe('name: expected 1-64 characters of letters, digits, ".", "_" or "-"');
  });

  it.each(['console', 'COM10', 'LPT0', 'nullable', 'auxiliary.txt', 'web.1', '.hidden'])('accepts the ordinary name %s', (name) => {
    expect(issuesOf({ name })).toEqual([]);
  });
});
