import { describe, expect, it } from 'vitest';
import { AppSpecInputSchema, OwlConfigSchema } from '../../src/contract/app-spec.ts';

describe('AppSpecInputSchema defaults', () => {
  it('fills every default for a minimal { name, command }', () => {
    expect(AppSpecInputSchema.parse({ name: 'web', command: 'node' })).toEqual({
      name: 'web',
      command: 'node',
      args: [],
      env: {},
      instances: 1,
      launch: { mode: 'always', schedules: [] },
      restart: {
        policy: 'always',
        maxRestarts: 10,
        minUptime: 10_000,
        backoff: { initial: 100, factor: 2, max: 30_000 },
        delay: 0,
        cooldown: 600_000,
      },
      initGrace: 0,
      stop: { signal: 'SIGTERM', timeout: 5_000 },
      logs: { maxSize: 10 * 1024 * 1024, keep: 5, timestamps: false },
      windows: { hide: true, session: 'service', visibility: 'normal' },
    });
  });

  it('fills the defaults inside a partly given section', () => {
    const spec = AppSpecInputSchema.parse({ name: 'web', command: 'node', restart: { backoff: { max: '1m' } }, logs: { keep: 2 } });
    expect(spec.restart.backoff).toEqual({ initial: 100, factor: 2, max: 60_000 });
    expect(spec.restart.maxRestarts).toBe(10);
    expect(spec.logs).toEqual({ maxSize: 10 * 1024 * 1024, keep: 2, timestamps: false });
  });

  it('converts durations to milliseconds and sizes to bytes', () => {
    const spec = AppSpecInputSchema.parse({
      name: 'web',
      command: 'node',
      restart: { minUptime: '30s', cooldown: '1h', delay: 250 },
      stop: { timeout: '2.5s' },
      maxMemory: '512MB',
      logs: { maxSize: '1.5G' },
      health: { http: 'http://127.0.0.1:8080/healthz' },
    });
    expect(spec.restart.minUptime).toBe(30_000);
    expect(spec.restart.cooldown).toBe(3_600_000);
    expect(spec.restart.delay).toBe(250);
    expect(spec.stop.timeout).toBe(2_500);
    expect(spec.maxMemory).toBe(512 * 1024 ** 2);
    expect(spec.logs.maxSize).toBe(1.5 * 1024 ** 3);
    expect(spec.health).toEqual({ http: 'http://127.0.0.1:8080/healthz', interval: 5_000, timeout: 2_000, stallAfter: 3, killAfter: 15_000 });
  });

  it('lists every weekday when a schedule leaves days out', () => {
    const spec = AppSpecInputSchema.parse({
      name: 'kiosk',
      command: 'kiosk.exe',
      launch: { mode: 'scheduled', timezone: 'Europe/Berlin', schedules: [{ ranges: [{ start: '08:00', stop: '20:00' }] }] },
    });
    expect(spec.launch.schedules).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ranges: [{ start: '08:00', stop: '20:00' }] },
    ]);
  });

  it('refuses a scheduled launch without schedules, on launch.schedules', () => {
    const result = AppSpecInputSchema.safeParse({ name: 'kiosk', command: 'kiosk.exe', launch: { mode: 'scheduled' } });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['launch.schedules', 'launch mode "scheduled" needs at least one schedule'],
    ]);
  });

  it('refuses a duration longer than a Node timer can wait', () => {
    const result = AppSpecInputSchema.safeParse({ name: 'web', command: 'node', restart: { cooldown: '30d' } });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['restart.cooldown', 'expected a duration of at most 2147483647 ms (about 24.8 days), received "30d"'],
    ]);
    expect(AppSpecInputSchema.parse({ name: 'web', command: 'node', restart: { cooldown: '24d' } }).restart.cooldown).toBe(24 * 86_400_000);
  });

  it('reports an empty duration string as an issue instead of throwing', () => {
    const result = AppSpecInputSchema.safeParse({ name: 'web', command: 'node', restart: { delay: '' } });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      'expected a duration like "500ms", "10s", "5m" or milliseconds, received ""',
    ]);
  });

  it('accepts a $schema key in owl.config.json', () => {
    const config = OwlConfigSchema.parse({ $schema: './owl.config.schema.json', apps: [] });
    expect(config).toEqual({ $schema: './owl.config.schema.json', apps: [] });
  });
});
