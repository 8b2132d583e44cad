export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

// One formatter per zone: building an Intl.DateTimeFormat costs far more than using one.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12: false, which prints midnight as "24" on some ICU versions.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * The wall clock shown in `timeZone` (the machine's zone when undefined) at `instant`,
 * encoded as milliseconds since 1970-01-01T00:00 of that wall clock, as if it were UTC.
 * Whole seconds only: zone offsets never carry milliseconds.
 */
export function readWallClock(instant: number, timeZone: string | undefined): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(Math.floor(instant / 1000) * 1000)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** How far the wall clock of `timeZone` is ahead of UTC at `instant`, in milliseconds. */
export function zoneOffsetAt(instant: number, timeZone: string | undefined): number {
  return readWallClock(instant, timeZone) - Math.floor(instant / 1000) * 1000;
}
