import { describe, expect, it } from 'vitest';
import type { AppSpec, Schedule } from '@owl/rpc/contract';
import { isInsideWindow, nextBoundary, resolveWallTime } from '../../src/schedule/schedule-window.ts';

type Launch = AppSpec['launch'];

function scheduled(timezone: string, ...schedules: Schedule[]): Launch {
  return { mode: 'scheduled', timezone, schedules };
}

const at = (iso: string): Date => new Date(iso);
const boundaryOf = (launch: Launch, iso: string): string | undefined => nextBoundary(launch, at(iso))?.toISOString();
const resolved = (wall: string, zone: string): string => new Date(resolveWallTime(Date.parse(`${wall}Z`), zone)).toISOString();

describe('resolveWallTime', () => {
  it('maps ordinary wall times through the zone offset', () => {
    expect(resolved('2026-01-05T09:00:00', 'Europe/Berlin')).toBe('2026-01-05T08:00:00.000Z');
    expect(resolved('2026-07-05T09:00:00', 'Europe/Berlin')).toBe('2026-07-05T07:00:00.000Z');
    expect(resolved('2026-01-05T09:00:00', 'Asia/Kolkata')).toBe('2026-01-05T03:30:00.000Z');
  });

  it('shifts wall times skipped by a DST jump forward to the jump', () => {
    // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
    expect(resolved('2026-03-29T02:00:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(resolved('2026-03-29T02:30:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(resolved('2026-03-29T03:00:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
    expect(resolved('2026-03-08T02:15:00', 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    // Lord Howe moves its clock by only 30 minutes: 02:00 (+10:30) jumps to 02:30 (+11).
    expect(resolved('2026-10-04T02:15:00', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z');
  });

  it('takes the first occurrence of wall times that happen twice', () => {
    // Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00 UTC.
    expect(resolved('2026-10-25T02:30:00', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(resolved('2026-10-25T03:00:00', 'Europe/Berlin')).toBe('2026-10-25T02:00:00.000Z');
    // New York 2026-11-01: 02:00 EDT falls back to 01:00 EST at 06:00 UTC.
    expect(resolved('2026-11-01T01:30:00', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('Europe/Berlin, spring forward (2026-03-29, 02:00 -> 03:00)', () => {
  it('starts a window whose start does not exist at the first valid instant', () => {
    const launch = scheduled('Europe/Berlin', { days: ['sun'], ranges: [{ start: '02:30', stop: '04:00' }] });
    expect(boundaryOf(launch, '2026-03-29T00:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
    expect(isInsideWindow(launch, at('2026-03-29T00:59:59Z'))).toBe(false);
    expect(isInsideWindow(launch, at('2026-03-29T01:00:00Z'))).toBe(true);
    // 04:00 CEST is 02:00 UTC.
    expect(boundaryOf(launch, '2026-03-29T01:00:00Z')).toBe('2026-03-29T02:00:00.000Z');
  });

  it('ends an overnight window whose stop does not exist at the jump', () => {
    const launch = scheduled('Europe/Berlin', { days: ['sat'], ranges: [{ start: '22:00', stop: '02:30' }] });
    expect(boundaryOf(launch, '2026-03-28T20:00:00Z')).toBe('2026-03-28T21:00:00.000Z');
    expect(boundaryOf(launch, '2026-03-28T22:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
    expect(isInsideWindow(launch, at('2026-03-29T00:59:00Z'))).toBe(true);
    expect(isInsideWindow(launch, at('2026-03-29T01:00:00Z'))).toBe(false);
  });

  it('skips a window that lies entirely inside the gap that day', () => {
    const launch = scheduled('Europe/Berlin', { days: ['sun'], ranges: [{ start: '02:00', stop: '02:30' }] });
    expect(isInsideWindow(launch, at('2026-03-29T01:00:00Z'))).toBe(false);
    // The next one is the following Sunday, 02:00 CEST = 00:00 UTC.
    expect(boundaryOf(launch, '2026-03-28T12:00:00Z')).toBe('2026-04-05T00:00:00.000Z');
  });

  it('gives a 01:00-03:00 window one real hour that day', () => {
    const launch = scheduled('Europe/Berlin', { days: ['sun'], ranges: [{ start: '01:00', stop: '03:00' }] });
    expect(boundaryOf(launch, '2026-03-28T23:30:00Z')).toBe('2026-03-29T00:00:00.000Z');
    expect(boundaryOf(launch, '2026-03-29T00:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('switches to the summer offset for later windows', () => {
    const launch = scheduled('Europe/Berlin', { days: ['sat', 'sun'], ranges: [{ start: '09:00', stop: '17:00' }] });
    expect(boundaryOf(launch, '2026-03-28T16:00:00Z')).toBe('2026-03-29T07:00:00.000Z');
    expect(boundaryOf(launch, '2026-03-29T07:00:00Z')).toBe('2026-03-29T15:00:00.000Z');
  });
});

describe('Europe/Berlin, fall back (2026-10-25, 03:00 -> 02:00)', () => {
  it('starts at the first 02:30 and does not stop during the repeated hour', () => {
    const launch = scheduled('Europe/Berlin', { days: ['sun'], ranges: [{ start: '02:30', stop: '05:00' }] });
    expect(boundaryOf(launch, '2026-10-24T23:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    // 01:15 UTC is the second 02:15 (CET): still inside.
    expect(isInsideWindow(launch, at('2026-10-25T01:15:00Z'))).toBe(true);
    // 05:00 CET is 04:00 UTC.
    expect(boundaryOf(launch, '2026-10-25T00:30:00Z')).toBe('2026-10-25T04:00:00.000Z');
  });

  it('stops at the first 02:30 and does not start again during the repeated hour', () => {
    const launch = scheduled('Europe/Berlin', { days: ['sun'], ranges: [{ start: '01:00', stop: '02:30' }] });
    expect(boundaryOf(launch, '2026-10-24T23:30:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(isInsideWindow(launch, at('2026-10-25T01:45:00Z'))).toBe(false);
    // Next Sunday, 01:00 CET is 00:00 UTC.
    expect(boundaryOf(launch, '2026-10-25T00:30:00Z')).toBe('2026-11-01T00:00:00.000Z');
  });

  it('gives a start == stop window 25 real hours across the change', () => {
    const launch = scheduled('Europe/Berlin', { days: ['sat'], ranges: [{ start: '12:00', stop: '12:00' }] });
    expect(boundaryOf(launch, '2026-10-24T09:00:00Z')).toBe('2026-10-24T10:00:00.000Z');
    expect(boundaryOf(launch, '2026-10-24T10:00:00Z')).toBe('2026-10-25T11:00:00.000Z');
  });
});

describe('America/New_York DST days', () => {
  it('starts a skipped 02:15 at 03:00 EDT on 2026-03-08', () => {
    const launch = scheduled('America/New_York', { days: ['sun'], ranges: [{ start: '02:15', stop: '03:30' }] });
    expect(boundaryOf(launch, '2026-03-08T05:00:00Z')).toBe('2026-03-08T07:00:00.000Z');
    expect(boundaryOf(launch, '2026-03-08T07:00:00Z')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('starts at the first 01:30 on 2026-11-01 and runs through the repeated hour', () => {
    const launch = scheduled('America/New_York', { days: ['sun'], ranges: [{ start: '01:30', stop: '06:00' }] });
    expect(boundaryOf(launch, '2026-11-01T04:00:00Z')).toBe('2026-11-01T05:30:00.000Z');
    expect(isInsideWindow(launch, at('2026-11-01T06:15:00Z'))).toBe(true);
    // 06:00 EST is 11:00 UTC.
    expect(boundaryOf(launch, '2026-11-01T05:30:00Z')).toBe('2026-11-01T11:00:00.000Z');
  });
});
