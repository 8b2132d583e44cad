import { describe, expect, it } from 'vitest';
import type { AppSpec, Schedule } from '@owl/rpc/contract';
import { isInsideWindow, nextBoundary } from '../../src/schedule/schedule-window.ts';

type Launch = AppSpec['launch'];

function scheduled(timezone: string | undefined, ...schedules: Schedule[]): Launch {
  return { mode: 'scheduled', timezone, schedules };
}

const at = (iso: string): Date => new Date(iso);
const boundaryOf = (launch: Launch, iso: string): string | undefined => nextBoundary(launch, at(iso))?.toISOString();

// 2026-01-05 is a Monday; 2026-01-02 a Friday.
describe('launch modes', () => {
  it('is always inside for mode always and never for mode off, with no boundary', () => {
    const now = at('2026-01-05T12:00:00Z');
    expect(isInsideWindow({ mode: 'always', schedules: [] }, now)).toBe(true);
    expect(isInsideWindow({ mode: 'off', schedules: [] }, now)).toBe(false);
    expect(nextBoundary({ mode: 'always', schedules: [] }, now)).toBeNull();
    expect(nextBoundary({ mode: 'off', schedules: [] }, now)).toBeNull();
  });
});

describe('weekday lists (UTC)', () => {
  const office = scheduled('UTC', { days: ['mon', 'wed'], ranges: [{ start: '09:00', stop: '17:00' }] });

  it('is inside from start (inclusive) to stop (exclusive) on listed days only', () => {
    expect(isInsideWindow(office, at('2026-01-05T08:59:59.999Z'))).toBe(false);
    expect(isInsideWindow(office, at('2026-01-05T09:00:00Z'))).toBe(true);
    expect(isInsideWindow(office, at('2026-01-05T16:59:59Z'))).toBe(true);
    expect(isInsideWindow(office, at('2026-01-05T17:00:00Z'))).toBe(false);
    expect(isInsideWindow(office, at('2026-01-06T10:00:00Z'))).toBe(false);
    expect(isInsideWindow(office, at('2026-01-07T10:00:00Z'))).toBe(true);
  });

  it('gives the next start or stop, strictly after now', () => {
    expect(boundaryOf(office, '2026-01-05T08:00:00Z')).toBe('2026-01-05T09:00:00.000Z');
    expect(boundaryOf(office, '2026-01-05T09:00:00Z')).toBe('2026-01-05T17:00:00.000Z');
    expect(boundaryOf(office, '2026-01-05T17:00:00Z')).toBe('2026-01-07T09:00:00.000Z');
    expect(boundaryOf(office, '2026-01-08T12:00:00Z')).toBe('2026-01-12T09:00:00.000Z');
  });

  it('takes the union of several schedules and ranges', () => {
    const launch = scheduled(
      'UTC',
      { days: ['mon'], ranges: [{ start: '08:00', stop: '10:00' }, { start: '14:00', stop: '15:00' }] },
      { days: ['mon', 'tue'], ranges: [{ start: '09:00', stop: '12:00' }] },
    );
    expect(isInsideWindow(launch, at('2026-01-05T11:00:00Z'))).toBe(true);
    expect(boundaryOf(launch, '2026-01-05T08:30:00Z')).toBe('2026-01-05T12:00:00.000Z');
    expect(boundaryOf(launch, '2026-01-05T12:00:00Z')).toBe('2026-01-05T14:00:00.000Z');
    expect(boundaryOf(launch, '2026-01-05T15:00:00Z')).toBe('2026-01-06T09:00:00.000Z');
  });
});

describe('overnight ranges', () => {
  const nights = scheduled('UTC', { days: ['fri'], ranges: [{ start: '22:00', stop: '06:00' }] });

  it('starts on the listed day and runs into the next', () => {
    expect(isInsideWindow(nights, at('2026-01-02T21:59:00Z'))).toBe(false);
    expect(isInsideWindow(nights, at('2026-01-02T22:00:00Z'))).toBe(true);
    expect(isInsideWindow(nights, at('2026-01-03T03:00:00Z'))).toBe(true);
    expect(isInsideWindow(nights, at('2026-01-03T06:00:00Z'))).toBe(false);
    // Thursday night and Saturday night are not listed.
    expect(isInsideWindow(nights, at('2026-01-01T23:00:00Z'))).toBe(false);
    expect(isInsideWindow(nights, at('2026-01-03T23:00:00Z'))).toBe(false);
  });

  it('stops the next morning and starts again a week later', () => {
    expect(boundaryOf(nights, '2026-01-02T23:00:00Z')).toBe('2026-01-03T06:00:00.000Z');
    expect(boundaryOf(nights, '2026-01-03T06:00:00Z')).toBe('2026-01-09T22:00:00.000Z');
  });

  it('runs until midnight when stop is 00:00', () => {
    const evening = scheduled('UTC', { days: ['mon'], ranges: [{ start: '20:00', stop: '00:00' }] });
    expect(isInsideWindow(evening, at('2026-01-05T23:59:59Z'))).toBe(true);
    expect(boundaryOf(evening, '2026-01-05T21:00:00Z')).toBe('2026-01-06T00:00:00.000Z');
  });

  it('joins back-to-back windows: no boundary at midnight between them', () => {
    const launch = scheduled(
      'UTC',
      { days: ['mon'], ranges: [{ start: '20:00', stop: '00:00' }] },
      { days: ['tue'], ranges: [{ start: '00:00', stop: '04:00' }] },
    );
    expect(boundaryOf(launch, '2026-01-05T21:00:00Z')).toBe('2026-01-06T04:00:00.000Z');
  });

  it('follows a run of windows that lasts several days to its end', () => {
    const launch = scheduled(
      'UTC',
      { days: ['mon', 'tue', 'wed'], ranges: [{ start: '00:00', stop: '00:00' }] },
      { days: ['thu'], ranges: [{ start: '00:00', stop: '04:00' }] },
    );
    expect(boundaryOf(launch, '2026-01-05T12:00:00Z')).toBe('2026-01-08T04:00:00.000Z');
  });
});

describe('start == stop', () => {
  it('is a full 24 hours from start', () => {
    const launch = scheduled('UTC', { days: ['mon'], ranges: [{ start: '08:00', stop: '08:00' }] });
    expect(isInsideWindow(launch, at('2026-01-05T07:59:00Z'))).toBe(false);
    expect(isInsideWindow(launch, at('2026-01-05T08:00:00Z'))).toBe(true);
    expect(isInsideWindow(launch, at('2026-01-06T07:59:00Z'))).toBe(true);
    expect(isInsideWindow(launch, at('2026-01-06T08:00:00Z'))).toBe(false);
    expect(boundaryOf(launch, '2026-01-05T10:00:00Z')).toBe('2026-01-06T08:00:00.000Z');
  });

  it('has no boundary when the schedules cover every moment', () => {
    const allDay = scheduled('Europe/Berlin', { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ranges: [{ start: '00:00', stop: '00:00' }] });
    const halves = scheduled('UTC', { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ranges: [{ start: '00:00', stop: '12:00' }, { start: '12:00', stop: '00:00' }] });
    for (const iso of ['2026-01-05T12:00:00Z', '2026-03-29T01:30:00Z', '2026-10-25T01:30:00Z']) {
      expect(isInsideWindow(allDay, at(iso))).toBe(true);
      expect(nextBoundary(allDay, at(iso))).toBeNull();
      expect(nextBoundary(halves, at(iso))).toBeNull();
    }
  });
});

describe('time zones other than the machine zone', () => {
  it('reads the schedule in America/New_York', () => {
    const launch = scheduled('America/New_York', { days: ['mon', 'tue', 'wed', 'thu', 'fri'], ranges: [{ start: '09:00', stop: '17:00' }] });
    // 09:00 EST is 14:00 UTC.
    expect(isInsideWindow(launch, at('2026-01-05T13:59:00Z'))).toBe(false);
    expect(isInsideWindow(launch, at('2026-01-05T14:00:00Z'))).toBe(true);
    expect(boundaryOf(launch, '2026-01-05T13:00:00Z')).toBe('2026-01-05T14:00:00.000Z');
    expect(boundaryOf(launch, '2026-01-05T14:00:00Z')).toBe('2026-01-05T22:00:00.000Z');
    // Friday 17:00 EST -> Monday 09:00 EST.
    expect(boundaryOf(launch, '2026-01-09T22:00:00Z')).toBe('2026-01-12T14:00:00.000Z');
  });

  it('uses the weekday of the zone, not of UTC (Pacific/Auckland)', () => {
    const launch = scheduled('Pacific/Auckland', { days: ['mon'], ranges: [{ start: '08:00', stop: '10:00' }] });
    // Monday 08:00 NZDT (+13) is Sunday 19:00 UTC.
    expect(isInsideWindow(launch, at('2026-01-04T19:30:00Z'))).toBe(true);
    expect(isInsideWindow(launch, at('2026-01-05T09:00:00Z'))).toBe(false);
    expect(boundaryOf(launch, '2026-01-04T12:00:00Z')).toBe('2026-01-04T19:00:00.000Z');
  });

  it('handles a 30-minute offset (Asia/Kolkata, +05:30)', () => {
    const launch = scheduled('Asia/Kolkata', { days: ['mon'], ranges: [{ start: '09:00', stop: '09:30' }, { start: '23:45', stop: '00:15' }] });
    expect(isInsideWindow(launch, at('2026-01-05T03:29:00Z'))).toBe(false);
    expect(isInsideWindow(launch, at('2026-01-05T03:30:00Z'))).toBe(true);
    expect(boundaryOf(launch, '2026-01-05T00:00:00Z')).toBe('2026-01-05T03:30:00.000Z');
    expect(boundaryOf(launch, '2026-01-05T03:30:00Z')).toBe('2026-01-05T04:00:00.000Z');
    // Monday 23:45 IST is 18:15 UTC; it runs to Tuesday 00:15 IST.
    expect(boundaryOf(launch, '2026-01-05T04:00:00Z')).toBe('2026-01-05T18:15:00.000Z');
    expect(boundaryOf(launch, '2026-01-05T18:15:00Z')).toBe('2026-01-05T18:45:00.000Z');
  });

  it('defaults to the machine zone when no timezone is set', () => {
    const machineZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    const schedule: Schedule = { days: ['mon', 'fri'], ranges: [{ start: '09:00', stop: '17:00' }, { start: '22:00', stop: '02:00' }] };
    for (let hour = 0; hour < 24 * 8; hour += 5) {
      const now = new Date(Date.UTC(2026, 0, 1, hour, 17));
      expect(isInsideWindow(scheduled(undefined, schedule), now)).toBe(isInsideWindow(scheduled(machineZone, schedule), now));
      expect(nextBoundary(scheduled(undefined, schedule), now)).toEqual(nextBoundary(scheduled(machineZone, schedule), now));
    }
  });
});
