import type { AppSpec } from '@owl/rpc/contract';
import { calendarDayAt, listWindows } from './list-windows.ts';

/**
 * Whether an app with this launch config should be running at `now`: always for mode
 * "always", never for "off", and for "scheduled" when `now` falls inside a window of one of
 * its schedules, read in `launch.timezone` (the machine's zone when unset).
 *
 * @example
 * // fri 22:00-06:00 runs overnight: Saturday 03:00 is inside.
 * isInsideWindow({ mode: 'scheduled', timezone: 'UTC',
 *   schedules: [{ days: ['fri'], ranges: [{ start: '22:00', stop: '06:00' }] }] },
 *   new Date('2026-01-03T03:00:00Z')); // true
 */
export function isInsideWindow(launch: AppSpec['launch'], now: Date): boolean {
  if (launch.mode !== 'scheduled') return launch.mode === 'always';
  const instant = now.getTime();
  const today = calendarDayAt(instant, launch.timezone);
  // No window lasts longer than a day, so only windows that started yesterday or today can hold now.
  return listWindows(launch.schedules, launch.timezone, today - 1, today).some(
    (window) => window.start <= instant && instant < window.stop,
  );
}
