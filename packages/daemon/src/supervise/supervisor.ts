import { OwlError } from '@owl/rpc';
import type { AppDetail, AppRow, AppSpec, ApplyResult, ReloadResult } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import { newInstanceRecord, type DaemonState, type InstanceRecord } from '../state/daemon-state.ts';
import { LAUNCH_JOURNAL_COMPACT_BYTES, type LaunchEntry, type LaunchJournal } from '../state/launch-journal.ts';
import { AppEntry } from './app-entry.ts';
import { InstanceRunner } from './instance-runner.ts';
import { PidWatcher } from './pid-watcher.ts';
import { InstanceRunnerDeps, type SharedRunnerDeps } from './runner-deps.ts';
import { mapConcurrent } from './map-concurrent.ts';
import { findLaunchedProcesses } from '../adopt/find-launched.ts';
import { Orphans } from '../adopt/orphans.ts';
import { restoreInstances, stopUnwanted } from '../adopt/restore-instances.ts';
import { faultPoint } from '../fault/fault-point.ts';
import { reloadInstances } from './rolling-reload.ts';
import { rowOf } from './app-row.ts';
import { carryOutChange, registerSpec, type Change, type SpecChangeContext, type UpsertOutcome } from './spec-changes.ts';

export interface SupervisorDeps {
  logsDirectory: string;
  defaultCwd: string;
  events: EventBus;
  log: DaemonLog;
  /** Identifies this OWL_HOME in the launch marker of every child. */
  /** This home's id for launch markers (see lazyHomeId). */
  homeId: () => string;
  /** Called after every change; the writer takes the snapshot when it writes (changes coalesce). */
  persist(snapshot: () => DaemonState): void;
  /** Writes the state and waits until it is on disk (rejects with OWL_STATE_WRITE_FAILED). */
  commit(state: DaemonState): Promise<void>;
  /** Records a launch durably before its spawn (one small append, not a state.json rewrite). */
  launches: Pick<LaunchJournal, 'append' | 'compact' | 'bytes'>;
  /** CPU % and RSS bytes of each pid's whole tree, for list rows (from the latest metrics tick). */
  usage(pids: number[]): Promise<Map<number, { cpu: number; memory: number }>>;
}


/** Apps launched at once by `apply`: enough to keep both cores busy forking. */
const APPLY_CONCURRENCY = 8;

/** The app table: creates, starts, stops and adopts apps; owns every runner. */
export class Supervisor {
  readonly #deps: SupervisorDeps;
  readonly #apps = new Map<string, AppEntry>();
  readonly #watcher = new PidWatcher();
  /** Shared by every instance's runner; made with the first. */
  #runnerDeps: SharedRunnerDeps | undefined;
  readonly #orphans = new Orphans();
  #compacting = false;
  readonly #specChanges: SpecChangeContext = {
    apps: this.#apps,
    createRunner: (entry, record) => this.#createRunner(entry, record),
    armBoundary: (entry) => this.#armBoundary(entry),
    emit: (event) => this.#deps.events.emit(event),
  };

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
  }

  /**
   * Restores the recorded apps: adopts live processes (by recorded pid, or by the launch marker
   * they carry), handles those that died meanwhile; marked processes of unknown apps become orphans.
   */
  async boot(state: DaemonState): Promise<void> {
    for (const [name, record] of Object.entries(state.apps)) {
      const entry = new AppEntry(Object.freeze(record.spec), record.override);
      this.#apps.set(name, entry);
      for (let index = 0; index < entry.spec.instances; index += 1) {
        const recorded = record.instances.find((instance) => instance.index === index) ?? newInstanceRecord(index, 'inactive');
        entry.runners.push(this.#createRunner(entry, recorded));
      }
    }
    const found = await findLaunchedProcesses(this.#deps.homeId);
    const unclaimed = await restoreInstances(this.runners(), found, this.#deps.log);
    await stopUnwanted(unclaimed.filter((entry) => this.#apps.has(entry.app)), this.#deps.log);
    const orphans = unclaimed.filter((entry) => !this.#apps.has(entry.app));
    for (const orphan of orphans) this.#deps.log.warn(`orphan: pid ${orphan.pid} was started for app "${orphan.app}"#${orphan.instance}, which no longer exists; listed by "owl ls", stopped by "owl stop --orphans"`);
    this.#orphans.add(orphans);
    for (const entry of this.#apps.values()) this.#armBoundary(entry);
    this.#persist();
  }

  #createRunner(entry: AppEntry, record: InstanceRecord): InstanceRunner {
    this.#runnerDeps ??= {
      logsDirectory: this.#deps.logsDirectory,
      defaultCwd: this.#deps.defaultCwd,
      homeId: this.#deps.homeId,
      watcher: this.#watcher,
      emit: (event) => this.#deps.events.emit(event),
      persist: () => this.#persist(),
      recordLaunch: (entry) => this.#recordLaunch(entry),
      logError: (message) => this.#deps.log.error(message),
    };
    return new InstanceRunner(new InstanceRunnerDeps(this.#runnerDeps, entry, record.index), record);
  }

  #armBoundary(entry: AppEntry): void {
    entry.armBoundary(() => {
      if (this.#apps.get(entry.spec.name) !== entry) return;
      void Promise.all(entry.runners.map((runner) => runner.reconcile())).finally(() => this.#armBoundary(entry));
      this.#persist();
    });
  }

  #snapshot(): DaemonState {
    const apps: DaemonState['apps'] = {};
    for (const [name, entry] of this.#apps) {
      apps[name] = { spec: entry.spec, override: entry.override, instances: entry.runners.map((runner) => runner.record) };
    }
    return { version: 1, apps: structuredClone(apps) };
  }

  readonly #takeSnapshot = (): DaemonState => this.#snapshot();

  #persist(): void {
    this.#deps.persist(this.#takeSnapshot);
  }

  /** The current state on disk before going on: intent before effect, and before the reply. */
  #commit(): Promise<void> {
    return this.#deps.commit(this.#snapshot());
  }

  /**
   * A launch on disk before its spawn. When the journal cannot be written the whole state is
   * tried instead, and the launch goes on either way (its child still carries its marker).
   */
  async #recordLaunch(entry: LaunchEntry): Promise<void> {
    const { launches } = this.#deps;
    try {
      await launches.append(entry);
    } catch {
      await this.#commit().catch(() => undefined);
      return;
    }
    // Folded into state.json off the launch's path: the snapshot holds every launch id appended so far.
    if (launches.bytes <= LAUNCH_JOURNAL_COMPACT_BYTES || this.#compacting) return;
    this.#compacting = true;
    void launches
      .compact(() => this.#commit())
      .catch(() => undefined)
      .finally(() => (this.#compacting = false));
  }

  /**
   * The new intent goes to disk before anything acts on it. When it cannot be written the
   * daemon still follows it (it is kept in memory and retried): the reply then fails with
   * OWL_STATE_WRITE_FAILED, unless a later write of the outcome lands first.
   */
  async #writeIntent(operation: string): Promise<void> {
    await this.#commit().catch(() => undefined);
    faultPoint(`${operation}:intent`);
  }

  /** The reply of an intent-changing call goes out only once its outcome is on disk. */
  async #answer<T>(operation: string, result: T): Promise<T> {
    await this.#commit();
    faultPoint(`${operation}:committed`);
    return result;
  }

  #entry(name: string): AppEntry {
    const entry = this.#apps.get(name);
    if (!entry) throw new OwlError('OWL_NOT_FOUND', `app "${name}" not found`, { data: { name } });
    return entry;
  }

  /** `all` or one name, resolved to entries; an unknown name is OWL_NOT_FOUND. */
  #targets(target: string): AppEntry[] {
    return target === 'all' ? [...this.#apps.values()] : [this.#entry(target)];
  }

  names(): string[] {
    return [...this.#apps.keys()];
  }

  /** Every instance runner of every app, for the metrics and health services. */
  runners(): InstanceRunner[] {
    return [...this.#apps.values()].flatMap((entry) => entry.runners);
  }

  counts(): { total: number; running: number } {
    const runners = [...this.#apps.values()].flatMap((entry) => entry.runners);
    return { total: runners.length, running: runners.filter((runner) => runner.status === 'running').length };
  }

  /** Every instance, then the orphans (processes owl started that no app wants). */
  async list(): Promise<AppRow[]> {
    const runners = [...this.#apps.values()].flatMap((entry) => entry.runners);
    const pids = runners.map((runner) => runner.record.pid).filter((pid): pid is number => pid !== null);
    const usage = await this.#deps.usage(pids);
    return [...runners.map((runner) => rowOf(runner, usage)), ...(await this.#orphans.rows())];
  }

  /** `owl stop --orphans`: stops every orphan's process tree. */
  async stopOrphans(): Promise<{ pids: number[] }> {
    return { pids: await this.#orphans.stopAll() };
  }

  async describe(name: string): Promise<AppDetail> {
    const entry = this.#entry(name);
    const rows = (await this.list()).filter((row) => row.name === name && row.status !== 'orphan');
    return { name, spec: { ...entry.spec }, instances: rows };
  }

  // Each operation writes its new intent first, acts, then writes the outcome before replying:
  // a daemon killed at any step leaves on disk either the old intent or the new one.
  async start(target: string): Promise<{ names: string[] }> {
    const entries = this.#targets(target);
    for (const entry of entries) entry.setOverride(true);
    await this.#writeIntent('start');
    await Promise.all(entries.flatMap((entry) => entry.runners.map((runner) => runner.start())));
    return this.#answer('start', { names: entries.map((entry) => entry.spec.name) });
  }

  async stop(target: string, force: boolean = false): Promise<{ names: string[] }> {
    const entries = this.#targets(target);
    for (const entry of entries) entry.setOverride(false);
    await this.#writeIntent('stop');
    await Promise.all(entries.flatMap((entry) => entry.runners.map((runner) => runner.stop(force ? 'killed' : 'stopped', force))));
    faultPoint('stop:terminated');
    return this.#answer('stop', { names: entries.map((entry) => entry.spec.name) });
  }

  async restart(target: string): Promise<{ names: string[] }> {
    const entries = this.#targets(target);
    for (const entry of entries) entry.setOverride(true);
    await this.#writeIntent('restart');
    await Promise.all(entries.flatMap((entry) => entry.runners.map((runner) => runner.restart())));
    return this.#answer('restart', { names: entries.map((entry) => entry.spec.name) });
  }

  /** Rolling restart, app after app; stops at the first replacement that does not come up. */
  async reload(target: string): Promise<ReloadResult> {
    const entries = this.#targets(target);
    for (const entry of entries) entry.setOverride(true);
    await this.#writeIntent('reload');
    let result: ReloadResult = { ok: true, apps: [] };
    for (const entry of entries) {
      const outcome = await reloadInstances(entry, this.#deps.events);
      result.apps.push(outcome);
      if (outcome.failed) {
        result = { ...result, ok: false };
        break;
      }
    }
    return this.#answer('reload', result);
  }

  async delete(target: string): Promise<{ names: string[] }> {
    const entries = this.#targets(target);
    // Stopped first (and on disk as stopped): a daemon killed mid-delete finishes the stop on boot.
    for (const entry of entries) entry.setOverride(false);
    await this.#writeIntent('delete');
    await Promise.all(entries.map((entry) => this.#remove(entry)));
    return this.#answer('delete', { names: entries.map((entry) => entry.spec.name) });
  }

  async #remove(entry: AppEntry): Promise<void> {
    await Promise.all(entry.runners.map((runner) => runner.stop('stopped')));
    entry.dispose();
    // Only the entry this call stopped: a new app of the same name created meanwhile stays.
    if (this.#apps.get(entry.spec.name) === entry) this.#apps.delete(entry.spec.name);
    this.#deps.events.emit({ type: 'deleted', app: entry.spec.name });
  }

  /** Creates or updates one app (spec validated at the plane); a changed spec restarts its live instances. */
  async create(input: AppSpec, start: boolean): Promise<ApplyResult> {
    const spec = Object.freeze(input);
    const result: ApplyResult = { created: [], updated: [], unchanged: [], deleted: [] };
    const change = registerSpec(this.#specChanges, spec, start);
    if (start) this.#entry(spec.name).setOverride(true);
    await this.#writeIntent('create');
    result[await carryOutChange(this.#specChanges, spec, change)].push(spec.name);
    if (start) await Promise.all(this.#entry(spec.name).runners.map((runner) => runner.start()));
    return this.#answer('create', result);
  }

  /** Declarative reconcile: create new, update changed, leave the rest, delete only with prune. */
  async apply(inputs: AppSpec[], prune: boolean): Promise<ApplyResult> {
    const specs = inputs.map((input) => Object.freeze(input));
    const seen = new Set<string>();
    for (const spec of specs) {
      if (seen.has(spec.name)) throw new OwlError('OWL_INVALID_PARAMS', `invalid apps: name "${spec.name}" appears more than once`);
      seen.add(spec.name);
    }
    const result: ApplyResult = { created: [], updated: [], unchanged: [], deleted: [] };
    const changes = specs.map((spec) => registerSpec(this.#specChanges, spec));
    const pruned = prune ? [...this.#apps.values()].filter((entry) => !seen.has(entry.spec.name)) : [];
    for (const entry of pruned) entry.setOverride(false);
    await this.#writeIntent('apply');
    const outcomes = await mapConcurrent(specs, APPLY_CONCURRENCY, (spec, index) => carryOutChange(this.#specChanges, spec, changes[index] as Change));
    specs.forEach((spec, index) => result[outcomes[index] as UpsertOutcome].push(spec.name));
    for (const entry of pruned) {
      await this.#remove(entry);
      result.deleted.push(entry.spec.name);
    }
    return this.#answer('apply', result);
  }

  /** Daemon shutdown: timers stop; apps keep running unless `withApps`. */
  async shutdown(withApps: boolean): Promise<void> {
    if (withApps) {
      await Promise.all([...this.#apps.values()].flatMap((entry) => entry.runners.map((runner) => runner.stop('stopped'))));
      await this.#orphans.stopAll();
    }
    for (const entry of this.#apps.values()) entry.dispose();
    this.#watcher.stop();
    // What shutdown saves last: every launch id, so the launch journal can be emptied.
    this.#persist();
  }
}
