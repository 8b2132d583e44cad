import { describe, expect, it } from 'vitest';
import { AppSpecInputSchema } from '@owl/rpc/contract';
import { AppEntry } from '../../src/supervise/app-entry.ts';
import { canTransition } from '../../src/supervise/transitions.ts';

const scheduled = AppSpecInputSchema.parse({
  name: 'night',
  command: 'x',
  launch: { mode: 'scheduled', timezone: 'UTC', schedules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ranges: [{ start: '22:00', stop: '06:00' }] }] },
});

describe('AppEntry desire', () => {
  it('follows the schedule when nobody overrides it', () => {
    const entry = new AppEntry(scheduled, null);
    expect(entry.desire(new Date('2026-11-23T23:00:00Z'))).toEqual({ run: true, byOperator: false });
    expect(entry.desire(new Date('2026-11-23T12:00:00Z'))).toEqual({ run: false, byOperator: false });
  });

  it('an operator start outside the window lasts until the next boundary', () => {
    const entry = new AppEntry(scheduled, null);
    const noon = new Date('2026-11-23T12:00:00Z');
    entry.setOverride(true, noon);
    expect(entry.override).toEqual({ run: true, until: '2026-11-23T22:00:00.000Z' });
    expect(entry.desire(new Date('2026-11-23T21:59:00Z'))).toEqual({ run: true, byOperator: true });
    // Past the boundary the schedule decides again (and says run).
    expect(entry.desire(new Date('2026-11-23T22:30:00Z'))).toEqual({ run: true, byOperator: false });
  });

  it('an operator stop on an unscheduled app lasts until the next start', () => {
    const entry = new AppEntry(AppSpecInputSchema.parse({ name: 'web', command: 'x' }), null);
    entry.setOverride(false);
    expect(entry.override).toEqual({ run: false, until: null });
    expect(entry.desire(new Date('2030-01-01T00:00:00Z'))).toEqual({ run: false, byOperator: true });
  });
});

describe('state machine edges', () => {
  it('allows the lifecycle edges and refuses nonsense', () => {
    expect(canTransition('inactive', 'launching')).toBe(true);
    expect(canTransition('launching', 'running')).toBe(true);
    expect(canTransition('running', 'stalled')).toBe(true);
    expect(canTransition('stalled', 'running')).toBe(true);
    expect(canTransition('running', 'queued')).toBe(true);
    expect(canTransition('stopping', 'stopped')).toBe(true);
    expect(canTransition('stopped', 'running')).toBe(false);
    expect(canTransition('inactive', 'running')).toBe(false);
    expect(canTransition('killed', 'stalled')).toBe(false);
  });
});
