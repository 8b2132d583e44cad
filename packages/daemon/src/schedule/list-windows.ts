import { WEEKDAYS, type Schedule, type Weekday } from '@owl/rpc/contract';
import { resolveWallTime } from './resolve-wall-time.ts';
import { MS_PER_DAY, MS_PER_MINUTE, readWallClock } from './zoned-clock.ts';

/** One occurrence of a schedule range: running from `start` (inclusive) to `stop` (exclusive), in epoch ms. */
export interface Window {
  start: number;
  stop: number;
}

/** The calendar day (days since 1970-01-01) that `timeZone`'s wall clock shows at `instant`. */
export function calendarDayAt(instant: number, timeZone: string | undefined): number {
  return Math.floor(readWallClock(instant, timeZone) / MS_PER_DAY);
}

function weekdayOf(calendarDay: number): Weekday {
  // 1970-01-01 was a Thursday, index 3 in WEEKDAYS (which starts on Monday).
  return WEEKDAYS[(((calendarDay + 3) % 7) + 7) % 7] ?? 'mon';
}

function minutesOf(clockTime: string): number {
  const [hours = '0', minutes = '0'] = clockTime.split(':');
  return Number(hours) * 60 + Number(minutes);
}

/**
 * Every window of `schedules` that starts on a calendar day from `firstDay` to `lastDay`
 * (inclusive), in `timeZone`. A range whose stop is not after its start runs into the next
 * day; start == stop is a full day from start to the same time the next day. A window whose
 * both ends fall into the same DST gap does not exist that day and is left out.
 */
export function listWindows(
  schedules: readonly Schedule[],
  timeZone: string | undefined,
  firstDay: number,
  lastDay: number,
): Window[] {
  const windows: Window[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = weekdayOf(day);
    for (const schedule of schedules) {
      if (!schedule.days.includes(weekday)) continue;
      for (const range of schedule.ranges) {
        const startMinutes = minutesOf(range.start);
        const stopMinutes = minutesOf(range.stop);
        const stopDay = stopMinutes <= startMinutes ? day + 1 : day;
        const start = resolveWallTime(day * MS_PER_DAY + startMinutes * MS_PER_MINUTE, timeZone);
        const stop = resolveWallTime(stopDay * MS_PER_DAY + stopMinutes * MS_PER_MINUTE, timeZone);
        if (stop > start) windows.push({ start, stop });
      }
    }
  }
  return windows;
}

/** Sorts windows and joins the ones that overlap or touch, so no boundary is left inside a run. */
export function mergeWindows(windows: readonly Window[]): Window[] {
  const merged: Window[] = [];
  for (const window of [...windows].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && window.start <= last.stop) last.stop = Math.max(last.stop, window.stop);
    else merged.push({ ...window });
  }
  return merged;
}
