import { MS_PER_DAY, zoneOffsetAt } from './zoned-clock.ts';

/**
 * The instant at which the wall clock of `timeZone` shows `wallClock` (encoded as by
 * `readWallClock`). A wall time skipped by a DST jump resolves to the first valid instant
 * after the gap (the jump itself); a wall time that happens twice resolves to the first.
 *
 * @example
 * // 02:30 does not exist in Berlin on 2026-03-29: the clock jumps from 02:00 to 03:00.
 * resolveWallTime(Date.UTC(2026, 2, 29, 2, 30), 'Europe/Berlin'); // 2026-03-29T01:00:00Z
 */
export function resolveWallTime(wallClock: number, timeZone: string | undefined): number {
  // A day either side brackets any single transition near this wall time.
  const offsetBefore = zoneOffsetAt(wallClock - MS_PER_DAY, timeZone);
  const offsetAfter = zoneOffsetAt(wallClock + MS_PER_DAY, timeZone);
  // Same offset on both sides: no transition in between (zones never change twice in two days).
  if (offsetBefore === offsetAfter) return wallClock - offsetBefore;
  const valid = [wallClock - offsetBefore, wallClock - offsetAfter]
    .filter((instant) => zoneOffsetAt(instant, timeZone) === wallClock - instant)
    .sort((a, b) => a - b);
  const earliest = valid[0];
  if (earliest !== undefined) return earliest;
  return findTransition(wallClock - offsetAfter, wallClock - offsetBefore, offsetAfter, timeZone);
}

// Binary search, to the second, for the first instant in (low, high] already on `offsetAfter`.
function findTransition(low: number, high: number, offsetAfter: number, timeZone: string | undefined): number {
  let before = Math.floor(low / 1000);
  let after = Math.ceil(high / 1000);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (zoneOffsetAt(middle * 1000, timeZone) === offsetAfter) after = middle;
    else before = middle;
  }
  return after * 1000;
}
