import * as z from 'zod';
import { RoostNameSchema } from './roost-methods.ts';
import { Duration, durationWithin, sizeWithin } from './units.ts';

export const APP_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time "HH:MM" (24h)');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Device names Windows reserves in every directory, with or without an extension ("NUL.txt" too). */
const WINDOWS_RESERVED_NAME = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/** Why `name` cannot be a file or directory name on some OS; null when it can everywhere. */
export function nonPortableNameProblem(name: string): string | null {
  if (WINDOWS_RESERVED_NAME.test(name)) return `"${name}" is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension)`;
  if (/[. ]$/.test(name)) return `"${name}" ends in a dot or a space, which Windows strips from file names`;
  return null;
}

export const AppNameSchema = z
  .string()
  .regex(APP_NAME_PATTERN, 'expected 1-64 characters of letters, digits, ".", "_" or "-"')
  // The name is a directory under logs/: "." and ".." would escape it.
  .refine((name) => name !== '.' && name !== '..', 'expected a name other than "." or ".."')
  // Configs are portable: a name that breaks logs/<name>/ on Windows is refused on every OS.
  .superRefine((name, ctx) => {
    const problem = nonPortableNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: `expected a name usable as a directory on every OS: ${problem}` });
  });

/** A string handed to the OS (command, argument, directory, environment value): C strings end at NUL. */
const OsString = z.string().refine((value) => !value.includes('\0'), 'expected no NUL character (\\u0000): the OS would cut the string there');

/** Probe URLs are fetched by the daemon: only http and https, never file:, javascript: or others. */
const ProbeUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

export const ScheduleSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS)).min(1).default([...WEEKDAYS]),
  // A range whose stop is earlier than its start runs overnight into the next day.
  ranges: z.array(z.strictObject({ start: ClockTime, stop: ClockTime })).min(1),
});

const LaunchSchema = z
  .strictObject({
    mode: z.enum(['always', 'scheduled', 'off']).default('always'),
    schedules: z.array(ScheduleSchema).default([]),
    timezone: z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Berlin"').optional(),
  })
  .refine((launch) => launch.mode !== 'scheduled' || launch.schedules.length > 0, {
    message: 'launch mode "scheduled" needs at least one schedule',
    path: ['schedules'],
  });

const RestartSchema = z.strictObject({
  policy: z.enum(['always', 'on-failure', 'never']).default('always'),
  maxRestarts: z.number().int().min(0).max(1_000_000).default(10),
  // A run this long counts as healthy and relaunches without backoff: too short a value
  // would let a crash loop relaunch at once forever.
  minUptime: durationWithin({ min: 100 }).default(10_000),
  backoff: z
    .strictObject({
      initial: durationWithin({ min: 50 }).default(100),
      factor: z.number().min(1).max(100).default(2),
      max: durationWithin({ min: 50 }).default(30_000),
    })
    .prefault({}),
  delay: Duration.default(0),
  cooldown: durationWithin({ min: 1_000 }).default(600_000),
});

const HealthSchema = z.strictObject({
  http: ProbeUrl.optional(),
  tcp: z.number().int().min(1).max(65_535).optional(),
  exec: OsString.min(1).optional(),
  windowResponsive: z.boolean().optional(),
  interval: durationWithin({ min: 100 }).default(5_000),
  timeout: durationWithin({ min: 10 }).default(2_000),
  stallAfter: z.number().int().min(1).max(1_000).default(3),
  killAfter: Duration.default(15_000),
});

const StopSchema = z.strictObject({
  signal: z.enum(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']).default('SIGTERM'),
  timeout: Duration.default(5_000),
});

const LogsSchema = z.strictObject({
  // Smaller files would rotate (pausing the app's writers) several times a second under load.
  maxSize: sizeWithin({ min: 64 * 1024 }).default(10 * 1024 * 1024),
  keep: z.number().int().min(0).max(100).default(5),
  timestamps: z.boolean().default(false),
});

const WindowsSchema = z.strictObject({
  hide: z.boolean().default(true),
  priority: z.enum(['idle', 'below_normal', 'normal', 'above_normal', 'high', 'realtime']).optional(),
  /** "user": launched onto the desktop of the user logged on at the console, not the service's session 0. */
  session: z.enum(['service', 'user']).default('service'),
  /** How a user-session app's first window shows (owlette's options); default normal. */
  visibility: z.enum(['normal', 'hidden', 'minimized', 'maximized']).default('normal'),
});

/**
 * One app as an operator declares it (config file or CLI flags). Durations accept "10s"
 * or milliseconds and come out as milliseconds; sizes accept "200MB" or bytes.
 */
export const AppSpecInputSchema = z.strictObject({
  name: AppNameSchema,
  command: OsString.min(1, 'expected the executable to run'),
  args: z.array(OsString).default([]),
  cwd: OsString.min(1).optional(),
  env: z.record(z.string().regex(/^[^=\0]+$/, 'expected an environment variable name'), OsString).default({}),
  instances: z.number().int().min(1).max(64).default(1),
  launch: LaunchSchema.prefault({}),
  restart: RestartSchema.prefault({}),
  initGrace: Duration.default(0),
  health: HealthSchema.optional(),
  stop: StopSchema.prefault({}),
  maxMemory: sizeWithin({ min: 1024 * 1024 }).optional(),
  logs: LogsSchema.prefault({}),
  windows: WindowsSchema.prefault({}),
  /** A roost this app serves: it is restarted after each switch of that roost (publish, rollback). */
  roost: RoostNameSchema.optional(),
});

export type AppSpecInput = z.input<typeof AppSpecInputSchema>;
/** The frozen, fully-defaulted app the daemon works with. */
export type AppSpec = Readonly<z.output<typeof AppSpecInputSchema>>;
export type Schedule = z.output<typeof ScheduleSchema>;
export type LaunchMode = AppSpec['launch']['mode'];

/** The shape of `owl.config.json`. */
export const OwlConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  apps: z.array(AppSpecInputSchema).max(1000),
});
