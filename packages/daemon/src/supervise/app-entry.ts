import type { AppSpec } from '@owl/rpc/contract';
import { isInsideWindow, nextBoundary } from '../schedule/schedule-window.ts';
import type { Override } from '../state/daemon-state.ts';
import type { Desire, InstanceRunner } from './instance-runner.ts';

/** One app: its frozen spec, operator override and instance runners. */
export class AppEntry {
  spec: AppSpec;
  override: Override | null;
  readonly runners: InstanceRunner[] = [];
  #boundaryTimer: NodeJS.Timeout | undefined;

  constructor(spec: AppSpec, override: Override | null) {
    this.spec = spec;
    this.override = override;
  }

  /** Operator override while it lasts, else the launch mode and schedule. */
  desire(now: Date = new Date()): Desire {
    if (this.override && (this.override.until === null || Date.parse(this.override.until) > now.getTime())) {
      return { run: this.override.run, byOperator: true };
    }
    return { run: isInsideWindow(this.spec.launch, now), byOperator: false };
  }

  /** Operator start/stop: lasts until the schedule's next boundary (forever when unscheduled). */
  setOverride(run: boolean, now: Date = new Date()): void {
    const boundary = this.spec.launch.mode === 'scheduled' ? nextBoundary(this.spec.launch, now) : null;
    this.override = { run, until: boundary ? boundary.toISOString() : null };
  }

  /** Arms one unref'd timer for the next schedule boundary; re-armed hourly to survive clock jumps. */
  armBoundary(onBoundary: () => void, now: Date = new Date()): void {
    clearTimeout(this.#boundaryTimer);
    if (this.spec.launch.mode !== 'scheduled') return;
    const boundary = nextBoundary(this.spec.launch, now);
    if (!boundary) return;
    const delay = Math.min(Math.max(boundary.getTime() - now.getTime(), 0) + 50, 60 * 60 * 1000);
    this.#boundaryTimer = setTimeout(() => {
      if (this.override?.until && Date.parse(this.override.until) <= Date.now()) this.override = null;
      onBoundary();
    }, delay).unref();
  }

  dispose(): void {
    clearTimeout(this.#boundaryTimer);
    for (const runner of this.runners) runner.dispose();
  }
}
