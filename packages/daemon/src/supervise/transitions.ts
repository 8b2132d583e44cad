import type { AppStatus } from '@owl/rpc/contract';

// Every edge the state machine allows; anything else is a bug and throws.
const ALLOWED: Record<AppStatus, readonly AppStatus[]> = {
  inactive: ['queued', 'launching', 'stopped', 'killed', 'launch_failed'],
  queued: ['launching', 'stopped', 'killed', 'inactive', 'launch_failed', 'queued'],
  launching: ['running', 'stalled', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  running: ['stalled', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  stalled: ['running', 'stopping', 'queued', 'launch_failed', 'stopped', 'inactive'],
  // -> running: a restart's stop interrupted by the daemon's death, its process adopted again.
  stopping: ['stopped', 'killed', 'inactive', 'queued', 'launching', 'launch_failed', 'running'],
  stopped: ['queued', 'launching', 'inactive', 'killed', 'launch_failed'],
  killed: ['queued', 'launching', 'inactive', 'stopped', 'launch_failed'],
  launch_failed: ['queued', 'launching', 'stopped', 'killed', 'inactive', 'launch_failed'],
};

export function canTransition(from: AppStatus, to: AppStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** States in which a process of the app is (or may be) alive. */
export const LIVE_STATUSES: ReadonlySet<AppStatus> = new Set(['launching', 'running', 'stalled', 'stopping']);
