import { OwlError } from '@owl/rpc';
import { APP_STATUSES, type AppStatus } from '@owl/rpc/contract';
import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../src/events/event-bus.ts';
import { canTransition, transition, type StatusRecord } from '../../src/supervise/transitions.ts';

// Written out here, not read from the table: the test states what each status may become.
const LEGAL: Record<AppStatus, readonly AppStatus[]> = {
  inactive: ['queued', 'launching', 'launch_failed', 'stopped', 'killed'],
  queued: ['launching', 'launch_failed', 'stopped', 'killed', 'inactive'],
  launching: ['running', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  running: ['stalled', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  stalled: ['running', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  stopping: ['stopped', 'killed', 'inactive', 'queued', 'launching', 'launch_failed', 'running'],
  stopped: ['queued', 'launching', 'launch_failed', 'killed', 'inactive'],
  killed: ['queued', 'launching', 'launch_failed', 'stopped'],
  launch_failed: ['queued', 'launching', 'stopped', 'killed', 'inactive'],
};

const PAIRS = APP_STATUSES.flatMap((from) => APP_STATUSES.map((to) => ({ from, to })));
const ILLEGAL = PAIRS.filter(({ from, to }) => from !== to && !LEGAL[from].includes(to));
const CHANGES = PAIRS.filter(({ from, to }) => from !== to && LEGAL[from].includes(to));

function attempt(from: AppStatus, to: AppStatus) {
  const record: StatusRecord = { status: from, reason: 'before' };
  const events: EventInput[] = [];
  let persisted = 0;
  const sink = { app: 'web', instance: 1, emit: (event: EventInput) => events.push(event), persist: () => (persisted += 1) };
  const run = () => transition(record, to, 'because', { pid: 7 }, sink);
  return { record, events, persisted: () => persisted, run };
}

describe('status transitions', () => {
  it('covers all 81 pairs: 9 stays, 49 changes, 23 refused', () => {
    expect(PAIRS).toHaveLength(81);
    expect(CHANGES).toHaveLength(49);
    expect(ILLEGAL).toHaveLength(23);
  });

  it.each(CHANGES)('$from -> $to is recorded, emitted as a state event and persisted', ({ from, to }) => {
    const subject = attempt(from, to);
    expect(canTransition(from, to)).toBe(true);
    subject.run();
    expect(subject.record).toEqual({ status: to, reason: 'because' });
    expect(subject.events).toEqual([{ type: 'state', app: 'web', instance: 1, data: { from, to, reason: 'because', pid: 7 } }]);
    expect(subject.persisted()).toBe(1);
  });

  it.each(APP_STATUSES)('%s -> %s (the same status) records a new reason, and the same reason again is no change', (status) => {
    const subject = attempt(status, status);
    expect(canTransition(status, status)).toBe(true);
    subject.run();
    subject.run();
    expect(subject.record).toEqual({ status, reason: 'because' });
    expect(subject.events).toEqual([{ type: 'state', app: 'web', instance: 1, data: { from: status, to: status, reason: 'because', pid: 7 } }]);
    expect(subject.persisted()).toBe(1);
  });

  it.each(ILLEGAL)('$from -> $to is refused with OWL_ILLEGAL_TRANSITION and changes nothing', ({ from, to }) => {
    const subject = attempt(from, to);
    expect(canTransition(from, to)).toBe(false);
    let caught: unknown;
    try {
      subject.run();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OwlError);
    expect(caught).toMatchObject({
      code: 'OWL_ILLEGAL_TRANSITION',
      message: `illegal transition ${from} -> ${to} for web#1`,
      data: { app: 'web', instance: 1, from, to },
    });
    expect(subject.record).toEqual({ status: from, reason: 'before' });
    expect(subject.events).toEqual([]);
    expect(subject.persisted()).toBe(0);
  });
});
