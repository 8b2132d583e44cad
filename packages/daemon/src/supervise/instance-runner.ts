import type { AppSpec, AppStatus } from '@owl/rpc/contract';
import { toOwlError } from '@owl/rpc';
import type { InstanceRecord } from '../state/daemon-state.ts';
import type { EventInput } from '../events/event-bus.ts';
import { appLogPaths } from '../app-logs/app-log-paths.ts';
import { readTailLines } from '../app-logs/read-tail.ts';
import { readProcessStartTime } from '../process/start-time.ts';
import { readProcessExecutable } from '../process/executable-path.ts';
import { terminateTree } from '../process/terminate-tree.ts';
import { canTransition, LIVE_STATUSES } from './transitions.ts';
import { decideAfterExit, describeExit, type ExitFacts } from './restart-policy.ts';
import { spawnApp } from './spawn-app.ts';
import { USER_SESSION_RETRY_MS } from './spawn-user-session.ts';
import type { PidWatcher } from './pid-watcher.ts';
import { newLaunchId } from '../adopt/launch-marker.ts';
import { faultPoint } from '../fault/fault-point.ts';
import { Supersession } from './supersession.ts';

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
  /** Writes the state now and waits until it is on disk; rejects when it cannot be written. */
  commit(): Promise<void>;
  /** The OWL_LAUNCH value a child of this instance carries for a launch id. */
  launchMarker(launchId: string): string;
  logError(message: string): void;
}

const STDERR_LINES_IN_CRASH_EVENT = 10;

/** One process slot of an app: launches, watches, restarts and stops it. */
export class InstanceRunner {
  readonly record: InstanceRecord;
  readonly #deps: RunnerDeps;
  #timer: NodeJS.Timeout | undefined;
  readonly #turns = new Supersession();
  // When health checks stalled the instance: the run before it counts as healthy uptime.
  #stalledAt: number | undefined;

  constructor(deps: RunnerDeps, record: InstanceRecord) {
    this.#deps = deps;
    this.record = record;
  }

  get name(): string {
    return this.#deps.app;
  }

  get status(): AppStatus {
    return this.record.status;
  }

  get isLive(): boolean {
    return LIVE_STATUSES.has(this.record.status) && this.record.pid !== null;
  }

  get spec(): AppSpec {
    return this.#deps.spec();
  }

  /** The single place where the status changes: checks the edge, records, emits, persists. */
  #transition(to: AppStatus, reason: string | null = null, data: Record<string, unknown> = {}): void {
    const from = this.record.status;
    if (from === to && reason === this.record.reason) return;
    if (from !== to && !canTransition(from, to)) {
      throw new Error(`illegal transition ${from} -> ${to} for ${this.#deps.app}#${this.#deps.index}`);
    }
    this.record.status = to;
    this.record.reason = reason;
    this.#deps.emit({ type: 'state', app: this.#deps.app, instance: this.#deps.index, data: { from, to, ...(reason ? { reason } : {}), ...data } });
    this.#deps.persist();
  }

  /** Brings the instance in line with what mode, schedule and overrides want. */
  async reconcile(): Promise<void> {
    const desire = this.#deps.desire();
    const idle: AppStatus = desire.byOperator ? 'stopped' : 'inactive';
    if (desire.run) {
      if (['inactive', 'stopped', 'killed'].includes(this.record.status)) await this.#launch(this.#turns.current);
      return;
    }
    if (this.isLive || this.record.status === 'queued' || this.record.status === 'launch_failed') await this.stop(idle);
  }

  /** Operator start: a fresh budget, launched now unless already alive. */
  async start(): Promise<void> {
    this.record.failures = 0;
    // Already alive: its pending timer (the end of initGrace) must survive the start.
    if (this.isLive) return;
    const epoch = await this.#supersede();
    if (this.#turns.isStale(epoch) || this.isLive) return;
    await this.#launch(epoch);
  }

  async restart(): Promise<void> {
    const epoch = await this.#supersede();
    this.record.failures = 0;
    if (this.#turns.isStale(epoch)) return;
    if (this.isLive) await this.#terminate(false);
    if (!this.#turns.isStale(epoch)) await this.#launch(epoch);
  }

  /** Stops the whole process tree (signal, timeout, kill) and settles in `final`. */
  async stop(final: 'stopped' | 'killed' | 'inactive', force: boolean = false): Promise<void> {
    const epoch = await this.#supersede();
    // A later operation took over while the launch in flight wound down: it decides.
    if (this.#turns.isStale(epoch)) return;
    if (this.isLive) await this.#terminate(force);
    if (this.#turns.isStale(epoch)) return;
    this.record.pid = null;
    this.#transition(final, null);
  }

  /**
   * Every operation starts here: stale continuations give up (new epoch), and a launch in
   * flight finishes first, stopping what it spawned if it was superseded. Returns the epoch.
   */
  async #supersede(): Promise<number> {
    const epoch = this.#turns.next();
    this.#clearTimer();
    await this.#turns.settled();
    return epoch;
  }

  /** The health monitor's verdict: failing stalls a running instance, passing recovers a stalled one. */
  reportHealth(healthy: boolean, detail: string): void {
    if (!healthy && this.record.status === 'running') {
      this.#stalledAt = Date.now();
      this.#transition('stalled', detail);
    } else if (healthy && this.record.status === 'stalled') {
      this.#stalledAt = undefined;
      this.#transition('running', null, { pid: this.record.pid });
    }
  }

  /**
   * Kills a hung (health_kill) or oversized (max_memory) instance's tree and relaunches it
   * through the restart policy: the kill counts against the restart budget like a crash, its
   * uptime being the run before it stalled.
   */
  async killAndRelaunch(event: 'health_kill' | 'max_memory', reason: string, options: { force: boolean; data?: Record<string, unknown> }): Promise<void> {
    const pid = this.record.pid;
    if (pid === null || !['launching', 'running', 'stalled'].includes(this.record.status)) return;
    const epoch = await this.#supersede();
    if (this.#turns.isStale(epoch) || this.record.pid !== pid) return;
    const healthyUntil = this.record.status === 'stalled' ? (this.#stalledAt ?? Date.now()) : Date.now();
    const uptimeMs = this.record.startedAt ? Math.max(0, healthyUntil - Date.parse(this.record.startedAt)) : null;
    this.#deps.emit({ type: event, app: this.#deps.app, instance: this.#deps.index, data: { pid, reason, ...options.data } });
    await this.#terminate(options.force);
    if (this.#turns.isStale(epoch)) return;
    this.record.pid = null;
    this.#decideRelaunch({ code: null, signal: this.record.lastExit?.signal ?? null, uptimeMs }, reason);
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
    this.#deps.watcher.watch(pid, startTime, () => void this.#processOnExit(pid, null, null));
    this.#deps.emit({ type: 'adopted', app: this.#deps.app, instance: this.#deps.index, data: { pid, found: found ? 'launch marker' : 'recorded pid' } });
    // Killed between the spawn and the write of its pid, the launch never got to `launching`.
    if (!LIVE_STATUSES.has(this.record.status)) this.#transition('launching', null, { pid });
    this.#transition('running', null, { pid });
  }

  /** Nothing of this instance survived the daemon: what was live or pending starts over from idle. */
  resetAfterRestore(): void {
    this.record.pid = null;
    if (this.record.status === 'launch_failed' || this.record.status === 'queued' || LIVE_STATUSES.has(this.record.status)) {
      this.#transition('inactive', null);
    }
  }

  /** The recorded process died while no daemon watched it: handled like any exit. */
  async handleExitWhileDown(): Promise<void> {
    const pid = this.record.pid;
    if (pid === null) return;
    await this.#processOnExit(pid, null, null);
  }

  dispose(): void {
    this.#turns.next();
    this.#clearTimer();
    if (this.record.pid !== null) this.#deps.watcher.unwatch(this.record.pid);
  }

  async #terminate(force: boolean): Promise<void> {
    const pid = this.record.pid;
    if (pid === null) return;
    this.#transition('stopping');
    const { stop } = this.#deps.spec();
    this.#deps.watcher.unwatch(pid);
    await terminateTree(pid, { signal: force ? 'SIGKILL' : stop.signal, timeoutMs: force ? 0 : stop.timeout, processGroup: true });
    if (this.record.pid === pid) {
      this.record.pid = null;
      this.record.lastExit = { code: null, signal: force ? 'SIGKILL' : stop.signal, at: new Date().toISOString() };
    }
  }

  #launch(epoch: number): Promise<void> {
    return this.#turns.track(this.#launchOnce(epoch));
  }

  /**
   * Records the launch (a fresh launch id) on disk, then spawns the child carrying that id in
   * OWL_LAUNCH: no instant exists at which a child runs that the next daemon cannot find. A
   * launch superseded meanwhile (stop, delete, restart, apply) stops what it spawned.
   */
  async #launchOnce(epoch: number): Promise<void> {
    this.#clearTimer();
    const spec = this.#deps.spec();
    const logs = appLogPaths(this.#deps.logsDirectory, spec.name, this.#deps.index);
    const launchId = newLaunchId();
    this.record.launchId = launchId;
    // Not writable: the launch goes on (supervision continues); its marker still finds it.
    await this.#deps.commit().catch(() => undefined);
    faultPoint('launch:recorded');
    if (this.#turns.isStale(epoch)) return;
    let spawned;
    try {
      spawned = await spawnApp(spec, this.#deps.index, logs, this.#deps.defaultCwd, this.#deps.launchMarker(launchId));
    } catch (error) {
      if (this.#turns.isStale(epoch)) return;
      const owlError = toOwlError(error);
      this.record.pid = null;
      if (owlError.code === 'OWL_NO_USER_SESSION') {
        // Not a failure: the app starts once a user logs on; no restart or budget is spent.
        this.#transition('queued', owlError.message);
        this.#schedule(USER_SESSION_RETRY_MS, () => this.#launch(this.#turns.current));
        return;
      }
      this.#transition('launch_failed', owlError.message, { code: owlError.code });
      // Not retried every tick: one try per cooldown, in case the executable appears.
      this.#schedule(spec.restart.cooldown, () => this.#launch(this.#turns.current));
      return;
    }
    faultPoint('launch:spawned');
    const { pid } = spawned;
    if (this.#turns.isStale(epoch)) {
      await this.#stopSuperseded(pid, spec);
      return;
    }
    void spawned.exited.then(({ code, signal }) => this.#processOnExit(pid, code, signal));
    Object.assign(this.record, { pid, startedAt: new Date().toISOString(), startTime: null, executable: spawned.executable });
    // A user-session launch says which session it went to (events show where the window is).
    this.#transition('launching', null, { pid, ...(spawned.session === undefined ? {} : { session: spawned.session }) });
    const [startTime, executable] = await Promise.all([readProcessStartTime(pid), readProcessExecutable(pid)]);
    if (this.record.pid === pid) {
      this.record.startTime = startTime;
      this.record.executable = executable ?? spawned.executable;
      this.#deps.persist();
    }
    if (this.#turns.isStale(epoch) || this.record.pid !== pid) return;
    if (spec.initGrace > 0) {
      this.#schedule(spec.initGrace, () => {
        if (this.record.status === 'launching' && this.record.pid === pid) this.#transition('running', null, { pid });
      });
    } else {
      this.#transition('running', null, { pid });
    }
  }

  /** A launch that was superseded before its pid was taken on stops its child itself. */
  async #stopSuperseded(pid: number, spec: AppSpec): Promise<void> {
    this.#deps.emit({ type: 'launch_superseded', app: this.#deps.app, instance: this.#deps.index, data: { pid } });
    await terminateTree(pid, { signal: spec.stop.signal, timeoutMs: spec.stop.timeout, processGroup: true }).catch((error: unknown) =>
      this.#deps.logError(`${this.#deps.app}#${this.#deps.index}: cannot stop superseded launch pid ${pid}: ${String(error)}`),
    );
  }

  async #processOnExit(pid: number, code: number | null, signal: string | null): Promise<void> {
    if (this.record.pid !== pid) return;
    const at = new Date();
    const uptimeMs = this.record.startedAt ? at.getTime() - Date.parse(this.record.startedAt) : null;
    this.record.pid = null;
    this.record.lastExit = { code, signal, at: at.toISOString() };
    // A stop in progress owns what happens next.
    if (this.record.status === 'stopping') return;
    this.#clearTimer();
    const spec = this.#deps.spec();
    const stderr = await readTailLines(appLogPaths(this.#deps.logsDirectory, spec.name, this.#deps.index).err, STDERR_LINES_IN_CRASH_EVENT);
    this.#deps.emit({ type: 'exit', app: this.#deps.app, instance: this.#deps.index, data: { pid, code, signal, uptimeMs, stderr } });
    this.#decideRelaunch({ code, signal, uptimeMs }, describeExit({ code, signal }));
  }

  /** What follows a failure (an exit, or a kill for health or memory): policy, budget, backoff. */
  #decideRelaunch(facts: Pick<ExitFacts, 'code' | 'signal' | 'uptimeMs'>, cause: string): void {
    const decision = decideAfterExit(this.#deps.spec().restart, { ...facts, failures: this.record.failures });
    this.record.failures = decision.failures;
    if (decision.action === 'stay-stopped') {
      this.#transition('stopped', decision.reason);
    } else if (decision.action === 'budget-spent') {
      this.#deps.emit({ type: 'budget_spent', app: this.#deps.app, instance: this.#deps.index, data: { failures: decision.failures } });
      this.#transition('launch_failed', decision.reason);
      this.#schedule(decision.retryInMs, () => this.#relaunch());
    } else if (!this.#deps.desire().run) {
      this.#transition(this.#deps.desire().byOperator ? 'stopped' : 'inactive', cause);
    } else {
      this.#transition('queued', `${cause}; relaunch in ${decision.delayMs} ms`, { delayMs: decision.delayMs });
      this.#schedule(decision.delayMs, () => this.#relaunch());
    }
  }

  async #relaunch(): Promise<void> {
    if (!this.#deps.desire().run) return this.reconcile();
    this.record.restarts += 1;
    this.#deps.emit({ type: 'restart', app: this.#deps.app, instance: this.#deps.index, data: { restarts: this.record.restarts, failures: this.record.failures } });
    await this.#launch(this.#turns.current);
  }

  #schedule(delayMs: number, action: () => Promise<void> | void): void {
    this.#clearTimer();
    const epoch = this.#turns.current;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#turns.isStale(epoch)) {
        void Promise.resolve(action()).catch((error: unknown) => this.#deps.logError(`${this.#deps.app}#${this.#deps.index}: ${String(error)}`));
      }
    }, delayMs).unref();
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
