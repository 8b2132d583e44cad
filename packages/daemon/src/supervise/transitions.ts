import { OwlError } from '@owl/rpc';
import type { AppStatus } from '@owl/rpc/contract';
import type { EventInput } from '../events/event-bus.ts';

/**
 * Every change of status the state machine allows, each for a reason the states give:
 * idle states (inactive, stopped, killed, queued, launch_failed) launch, queue (no user
 * session) or fail to launch, and settle into another idle state on an operator's or the
 * schedule's stop; a live process (launching, running, stalled) runs, stalls, is stopped
 * (stopping) or exits into what the restart policy decides (queued, launch_failed, stopped,
 * inactive). Anything else is a bug and throws OWL_ILLEGAL_TRANSITION.
 */
const ALLOWED: Record<AppStatus, readonly AppStatus[]> = {
  inactive: ['queued', 'launching', 'launch_failed', 'stopped', 'killed'],
  queued: ['launching', 'launch_failed', 'stopped', 'killed', 'inactive'],
  launching: ['running', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  running: ['stalled', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  stalled: ['running', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  // -> launching: a restart's relaunch; -> queued/launch_failed/stopped/inactive: a kill
  // (health, memory) handed to the restart policy; -> running: a restart's stop interrupted by
  // the daemon's death, its process adopted again.
  stopping: ['stopped', 'killed', 'inactive', 'queued', 'launching', 'launch_failed', 'running'],
  // -> inactive: a process that exited into `stopped` while a schedule's stop waited for its launch.
  stopped: ['queued', 'launching', 'launch_failed', 'killed', 'inactive'],
  killed: ['queued', 'launching', 'launch_failed', 'stopped'],
  launch_failed: ['queued', 'launching', 'stopped', 'killed', 'inactive'],
};

/** True when `from -> to` is a change the states allow; staying in a status (with a new reason) always is. */
export function canTransition(from: AppStatus, to: AppStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

/** States in which a process of the app is (or may be) alive. */
export const LIVE_STATUSES: ReadonlySet<AppStatus> = new Set(['launching', 'running', 'stalled', 'stopping']);

/** What a transition changes: the status and reason of one instance's record. */
export interface StatusRecord {
  status: AppStatus;
  reason: string | null;
}

/** Where a transition goes: the instance it belongs to, the event bus and the state writer. */
export interface TransitionSink {
  readonly app: string;
  readonly instance: number;
  emit(event: EventInput): void;
  persist(): void;
}

/**
 * The single place where an instance's status changes: checks the edge, records it, emits the
 * `state` event and hands the state to the writer. The same status with the same reason is no change.
 */
export function transition(record: StatusRecord, to: AppStatus, reason: string | null, data: Record<string, unknown>, sink: TransitionSink): void {
  const from = record.status;
  if (from === to && reason === record.reason) return;
  if (!canTransition(from, to)) {
    throw new OwlError('OWL_ILLEGAL_TRANSITION', `illegal transition ${from} -> ${to} for ${sink.app}#${sink.instance}`, {
      data: { app: sink.app, instance: sink.instance, from, to },
    });
  }
  record.status = to;
  record.reason = reason;
  sink.emit({ type: 'state', app: sink.app, instance: sink.instance, data: { from, to, ...(reason ? { reason } : {}), ...data } });
  sink.persist();
}
