import type { AppSpec, AppStatus } from '@owl/rpc/contract';
import type { InstanceRecord } from '../state/daemon-state.ts';
import type { HealthVerdict } from '../health/health-monitor.ts';
import type { MemoryBreach } from '../metrics/memory-guard.ts';
import { LIVE_STATUSES } from './transitions.ts';
import { InstanceSlot, type RunnerDeps } from './instance-slot.ts';
import { launchInstance } from './launch-instance.ts';
import { RestartDecider } from './restart-causes.ts';

export type { Desire, RunnerDeps } from './instance-slot.ts';

/** One process slot of an app: launches, watches, restarts and stops it. */
export class InstanceRunner {
  readonly record: InstanceRecord;
  readonly #slot: InstanceSlot;
  readonly #restarts: RestartDecider;

  constructor(deps: RunnerDeps, record: InstanceRecord) {
    this.record = record;
    this.#slot = new InstanceSlot(deps, record);
    this.#restarts = new RestartDecider(this.#slot, () => this.#relaunch());
  }

  get name(): string {
    return this.#slot.deps.app;
  }

  get status(): AppStatus {
    return this.record.status;
  }

  get isLive(): boolean {
    return LIVE_STATUSES.has(this.record.status) && this.record.pid !== null;
  }

  /** Whether mode, schedule and overrides want a process of this instance now. */
  get wantsToRun(): boolean {
    return this.#slot.deps.desire().run;
  }

  get spec(): AppSpec {
    return this.#slot.deps.spec();
  }

  /** Brings the instance in line with what mode, schedule and overrides want. */
  async reconcile(): Promise<void> {
    const desire = this.#slot.deps.desire();
    const idle: AppStatus = desire.byOperator ? 'stopped' : 'inactive';
    if (desire.run) {
      if (['inactive', 'stopped', 'killed'].includes(this.record.status)) await this.#launch(this.#slot.turns.current);
      return;
    }
    if (this.isLive || this.record.status === 'queued' || this.record.status === 'launch_failed') await this.stop(idle);
  }

  /** Operator start: a fresh budget, launched now unless already alive. */
  async start(): Promise<void> {
    this.record.failures = 0;
    // Already alive: its pending timer (the end of initGrace) must survive the start.
    if (this.isLive) return;
    const epoch = await this.#slot.supersede();
    if (this.#slot.turns.isStale(epoch) || this.isLive) return;
    await this.#launch(epoch);
  }

  async restart(): Promise<void> {
    const epoch = await this.#slot.supersede();
    this.record.failures = 0;
    if (this.#slot.turns.isStale(epoch)) return;
    if (this.isLive) await this.#slot.terminate(false);
    if (!this.#slot.turns.isStale(epoch)) await this.#launch(epoch);
  }

  /** Stops the whole process tree (signal, timeout, kill) and settles in `final`. */
  async stop(final: 'stopped' | 'killed' | 'inactive', force: boolean = false): Promise<void> {
    const epoch = await this.#slot.supersede();
    // A later operation took over while the launch in flight wound down: it decides.
    if (this.#slot.turns.isStale(epoch)) return;
    if (this.isLive) await this.#slot.terminate(force);
    if (this.#slot.turns.isStale(epoch)) return;
    this.record.pid = null;
    this.#slot.transition(final, null);
  }

  /** A health verdict (failing, passing, hung): the restart decider stalls, recovers or kills. */
  reportHealth(verdict: HealthVerdict): void {
    this.#restarts.reportHealth(verdict);
  }

  /** A tree that stayed above maxMemory: the restart decider stops it and applies the policy. */
  reportMemory(breach: MemoryBreach): void {
    this.#restarts.reportMemory(breach);
  }

  /**
   * Takes over a process an earlier daemon started, already verified to be ours (recorded pid,
   * or found by its launch marker). A stop interrupted by the daemon's death is redone by the
   * reconcile that follows adoption.
   */
  adopt(found?: { pid: number; startTime: string | null; executable: string | null; launchId: string; startedAt: string | null }): void {
    if (found) {
      Object.assign(this.record, { pid: found.pid, startTime: found.startTime, launchId: found.launchId });
      this.record.executable = found.executable ?? this.record.executable;
      this.record.startedAt = found.startedAt ?? this.record.startedAt;
    }
    const { pid, startTime } = this.record;
    if (pid === null) return;
    this.#slot.deps.watcher.watch(pid, startTime, () => void this.#restarts.processOnExit(pid, null, null));
    this.#slot.emit('adopted', { pid, found: found ? 'launch marker' : 'recorded pid' });
    // Killed between the spawn and the write of its pid, the launch never got to `launching`.
    if (!LIVE_STATUSES.has(this.record.status)) this.#slot.transition('launching', null, { pid });
    this.#slot.transition('running', null, { pid });
  }

  /** Nothing of this instance survived the daemon: what was live or pending starts over from idle. */
  resetAfterRestore(): void {
    this.record.pid = null;
    if (this.record.status === 'launch_failed' || this.record.status === 'queued' || LIVE_STATUSES.has(this.record.status)) {
      this.#slot.transition('inactive', null);
    }
  }

  /** The recorded process died while no daemon watched it: handled like any exit. */
  async handleExitWhileDown(): Promise<void> {
    const pid = this.record.pid;
    if (pid === null) return;
    await this.#restarts.processOnExit(pid, null, null);
  }

  dispose(): void {
    this.#slot.turns.next();
    this.#slot.clearTimer();
    if (this.record.pid !== null) this.#slot.deps.watcher.unwatch(this.record.pid);
  }

  #launch(epoch: number): Promise<void> {
    const launch = launchInstance(this.#slot, epoch, {
      processOnExit: (pid, code, signal) => this.#restarts.processOnExit(pid, code, signal),
      retry: () => this.#launch(this.#slot.turns.current),
    });
    return this.#slot.turns.track(launch);
  }

  /** The restart policy's delay is over: counted as a restart and launched, unless the app is no longer wanted. */
  async #relaunch(): Promise<void> {
    if (!this.#slot.deps.desire().run) return this.reconcile();
    this.record.restarts += 1;
    this.#slot.emit('restart', { restarts: this.record.restarts, failures: this.record.failures });
    await this.#launch(this.#slot.turns.current);
  }
}
