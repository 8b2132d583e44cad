import type { AppSpec, AppStatus } from '@owl/rpc/contract';
import type { InstanceRecord } from '../state/daemon-state.ts';
import type { EventInput } from '../events/event-bus.ts';
import { terminateTree } from '../process/terminate-tree.ts';
import type { PidWatcher } from './pid-watcher.ts';
import { Supersession } from './supersession.ts';
import { transition } from './transitions.ts';

export interface Desire {
  run: boolean;
  /** True when the operator's override decides, false when mode/schedule does. */
  byOperator: boolean;
}

export interface RunnerDeps {
  readonly app: string;
  readonly index: number;
  readonly logsDirectory: string;
  readonly defaultCwd: string;
  readonly watcher: PidWatcher;
  spec(): AppSpec;
  desire(): Desire;
  emit(event: EventInput): void;
  /** Hands the state to the writer without waiting (coalesced). */
  persist(): void;
  /** Records a launch id durably before its spawn; resolves (the launch goes on) even when it cannot be written. */
  recordLaunch(launchId: string): Promise<void>;
  /** The OWL_LAUNCH value a child of this instance carries for a launch id. */
  launchMarker(launchId: string): string;
  logError(message: string): void;
}

/**
 * What every part of an instance's supervision shares: its record, its turns (who owns it now),
 * its one timer, and the moves each part makes (a transition, an event, a tree stop). The
 * runner's operations, its launch and its restart decisions all act through one slot.
 */
export class InstanceSlot {
  readonly record: InstanceRecord;
  readonly deps: RunnerDeps;
  readonly turns = new Supersession();
  /** The pending action's handle: a timer, or a token for an action due at once. */
  #timer: NodeJS.Timeout | symbol | undefined;

  constructor(deps: RunnerDeps, record: InstanceRecord) {
    this.deps = deps;
    this.record = record;
  }

  get label(): string {
    return `${this.deps.app}#${this.deps.index}`;
  }

  transition(to: AppStatus, reason: string | null = null, data: Record<string, unknown> = {}): void {
    transition(this.record, to, reason, data, { app: this.deps.app, instance: this.deps.index, emit: this.deps.emit, persist: this.deps.persist });
  }

  emit(type: EventInput['type'], data: Record<string, unknown>): void {
    this.deps.emit({ type, app: this.deps.app, instance: this.deps.index, data });
  }

  /**
   * Every operation starts here: stale continuations give up (new epoch), and a launch in
   * flight finishes first, stopping what it spawned if it was superseded. Returns the epoch.
   */
  async supersede(): Promise<number> {
    const epoch = this.turns.next();
    this.clearTimer();
    await this.turns.settled();
    return epoch;
  }

  /** Stops the whole process tree (signal, timeout, kill) through `stopping`; the caller settles the status. */
  async terminate(force: boolean): Promise<void> {
    const pid = this.record.pid;
    if (pid === null) return;
    this.transition('stopping');
    const { stop } = this.deps.spec();
    this.deps.watcher.unwatch(pid);
    await terminateTree(pid, { signal: force ? 'SIGKILL' : stop.signal, timeoutMs: force ? 0 : stop.timeout, processGroup: true });
    if (this.record.pid === pid) {
      this.record.pid = null;
      this.record.lastExit = { code: null, signal: force ? 'SIGKILL' : stop.signal, at: new Date().toISOString() };
    }
  }

  /** Runs `action` after `delayMs` unless a later operation took over meanwhile; one timer per instance. */
  schedule(delayMs: number, action: () => Promise<void> | void): void {
    this.clearTimer();
    const epoch = this.turns.current;
    const run = (): void => {
      this.#timer = undefined;
      if (!this.turns.isStale(epoch)) {
        void Promise.resolve(action()).catch((error: unknown) => this.deps.logError(`${this.label}: ${String(error)}`));
      }
    };
    if (delayMs > 0) {
      this.#timer = setTimeout(run, delayMs).unref();
      return;
    }
    // Due at once (a relaunch after a healthy run): as soon as the current work is done, before
    // any timer (1 ms at least) or deferred state write, so the launch record goes to disk first.
    const token = Symbol('due now');
    this.#timer = token;
    queueMicrotask(() => {
      if (this.#timer === token) run();
    });
  }

  clearTimer(): void {
    if (typeof this.#timer !== 'symbol') clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
