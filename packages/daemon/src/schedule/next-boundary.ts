import type { AppSpec } from '@owl/rpc/contract';
import { calendarDayAt, listWindows, mergeWindows } from './list-windows.ts';
import { resolveWallTime } from './resolve-wall-time.ts';
import { MS_PER_DAY } from './zoned-clock.ts';

// Most schedules flip within a couple of days; look that far first, then two weeks, which
// also covers a window that a DST gap erased this week (schedules repeat weekly).
const LOOKAHEAD_DAYS = [2, 15] as const;
// A run of windows longer than two weeks never ends: the schedule covers every moment.
const ENDLESS_RUN_MS = 14 * MS_PER_DAY;

/**
 * The first instant strictly after `now` at which `isInsideWindow(launch, ·)` changes: the
 * start of the next window when outside, the end of the current run of windows when inside.
 * Null for modes "always" and "off", and for a schedule that covers every moment.
 *
 * @example
 * nextBoundary({ mode: 'scheduled', timezone: 'Europe/Berlin',
 *   schedules: [{ days: ['mon'], ranges: [{ start: '09:00', stop: '17:00' }] }] },
 *   new Date('2026-03-30T12:00:00Z')); // 2026-03-30T15:00:00Z (17:00 CEST)
 */
export function nextBoundary(launch: AppSpec['launch'], now: Date): Date | null {
  if (launch.mode !== 'scheduled') return null;
  const instant = now.getTime();
  const today = calendarDayAt(instant, launch.timezone);
  for (const lookahead of LOOKAHEAD_DAYS) {
    const lastDay = today + lookahead;
    const boundary = firstBoundaryAfter(instant, launch, today - 1, lastDay);
    // Windows of later days start at their midnight or after: they cannot move an earlier boundary.
    if (boundary !== null && boundary < resolveWallTime((lastDay + 1) * MS_PER_DAY, launch.timezone)) {
      return new Date(boundary);
    }
  }
  return null;
}

function firstBoundaryAfter(instant: number, launch: AppSpec['launch'], firstDay: number, lastDay: number): number | null {
  for (const run of mergeWindows(listWindows(launch.schedules, launch.timezone, firstDay, lastDay))) {
    if (run.stop <= instant) continue;
    if (run.start > instant) return run.start;
    return run.stop - instant > ENDLESS_RUN_MS ? null : run.stop;
  }
  return null;
}
