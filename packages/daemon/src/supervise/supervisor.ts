import { OwlError } from '@owl/rpc';
import type { AppDetail, AppRow, AppSpec, ApplyResult, ReloadResult } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../log/daemon-log.ts';
import { newInstanceRecord, type DaemonState, type InstanceRecord } from '../state/daemon-state.ts';
import { AppEntry } from './app-entry.ts';
import { InstanceRunner } from './instance-runner.ts';
import { PidWatcher } from './pid-watcher.ts';
import { verifyRecordedProcess } from './verify-recorded.ts';
import { LIVE_STATUSES } from './transitions.ts';
import { mapConcurrent } from './map-concurrent.ts';
import { reloadInstances } from './rolling-reload.ts';

export interface SupervisorDeps {
  logsDirectory: string;
  defaultCwd: string;
  events: EventBus;
  log: DaemonLog;
  /** Called after every change; the writer coalesces. */
  persist(state: DaemonState): void;
  /** CPU % and RSS bytes of each pid's whole tree, for list rows (from the latest metrics tick). */
  usage(pids: number[]): Promise<Map<number, { cpu: number; memory: number }>>;
}

type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** Apps launched at once by `apply`: enough to keep both cores busy forking. */
const APPLY_CONCURRENCY = 8;

function sameSpec(a: AppSpec, b: AppSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The app table: creates, starts, stops and adopts apps; owns every runner. */
export class Supervisor {
  readonly #deps: SupervisorDeps;
  readonly #apps = new Map<string, AppEntry>();
  readonly #watcher = new PidWatcher();

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
  }

  /** Restores the recorded apps: adopts live processes, handles those that died meanwhile. */
  async boot(state: DaemonState): Promise<void> {
    for (const [name, record] of Object.entries(state.apps)) {
      const entry = new AppEntry(Object.freeze(record.spec), record.override);
      this.#apps.set(name, entry);
      for (let index = 0; index < entry.spec.instances; index += 1) {
        const recorded = record.instances.find((instance) => instance.index === index) ?? newInstanceRecord(index, 'inactive');
        entry.runners.push(this.#createRunner(entry, recorded));
      }
    }
    for (const entry of this.#apps.values()) {
      for (const runner of entry.runners) await this.#restore(runner);
      this.#armBoundary(entry);
    }
    this.#persist();
  }

  async #restore(runner: InstanceRunner): Promise<void> {
    const { record } = runner;
    if (record.pid !== null) {
      const verdict = await verifyRecordedProcess(record);
      if (verdict.ours) {
        runner.adopt();
        // An interrupted stop, or a stop override, still wins over the adopted process.
        await runner.reconcile();
        return;
      }
      this.#deps.log.info(`not adopting pid ${record.pid} of ${record.index}: ${verdict.reason}`);
      if (LIVE_STATUSES.has(record.status) && record.status !== 'stopping') {
        await runner.handleExitWhileDown();
        return;
      }
      record.pid = null;
    }
    if (record.status === 'launch_failed' || record.status === 'queued' || LIVE_STATUSES.has(record.status)) {
      record.status = 'inactive';
    }
    await runner.reconcile();
  }

  #createRunner(entry: AppEntry, record: InstanceRecord): InstanceRunner {
    return new InstanceRunner(
      {
        app: entry.spec.name,
        index: record.index,
        logsDirectory: this.#deps.logsDirectory,
        defaultCwd: this.#deps.defaultCwd,
        watcher: this.#watcher,
        spec: () => entry.spec,
        desire: () => entry.desire(),
        emit: (event) => this.#deps.events.emit(event),
        persist: () => this.#persist(),
        logError: (message) => this.#deps.log.error(message),
      },
      record,
    );
  }

  #armBoundary(entry: AppEntry): void {
    entry.armBoundary(() => {
      if (this.#apps.get(entry.spec.name) !== entry) return;
      void Promise.all(entry.runners.map((runner) => runner.reconcile())).finally(() => this.#armBoundary(entry));
      this.#persist();
    });
  }

  #persist(): void {
    const apps: DaemonState['apps'] = {};
    for (const [name, entry] of this.#apps) {
      apps[name] = { spec: entry.spec, override: entry.override, instances: entry.runners.map((runner) => runner.record) };
    }
    this.#deps.persist({ version: 1, apps: structuredClone(apps) });
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

  async list(): Promise<AppRow[]> {
    const runners = [...this.#apps.values()].flatMap((entry) => entry.runners);
    const pids = runners.map((runner) => runner.record.pid).filter((pid): pid is number => pid !== null);
    const usage = await this.#deps.usage(pids);
    return runners.map((runner) => rowOf(runner.record, runner, usage));
  }

  async describe(name: string): Promise<AppDetail> {
    const entry = this.#entry(name);
    const rows = (await this.list()).filter((row) => row.name === name);
    return { name, spec: { ...entry.spec }, instances: rows };
  }

  async start(target: string): Promise<{ names: string[] }> {
    const entries = this.#targets(target);
    for (const entry of entries) {
      entry.setOverride(true);
      await Promise.all(entry.runners.map((runner) => runner.start()));
    }
    this.#persist();
    return { names: entries.map((entry) => entry.spec.name) };
  }

  async stop(target: string, force: boolean = false): Promise<{ names: string[] }> {
    const entries = this.#targets(target);
    await Promise.all(
      entries.map(async (entry) => {
        entry.setOverride(false);
        await Promise.all(entry.runners.map((runner) => runner.stop(force ? 'killed' : 'stopped', force)));
      }),
    );
    this.#persist();
    return { names: entries.map((entry) => entry.spec.name) };
  }

  async restart(target: string): Promise<{ names: string[] }> {
    const entries = this.#targets(target);
    await Promise.all(
      entries.map(async (entry) => {
        entry.setOverride(true);
        await Promise.all(entry.runners.map((runner) => runner.restart()));
      }),
    );
    this.#persist();
    return { names: entries.map((entry) => entry.spec.name) };
  }

  /** Rolling restart, app after app; stops at the first replacement that does not come up. */
  async reload(target: string): Promise<ReloadResult> {
    const result: ReloadResult = { ok: true, apps: [] };
    for (const entry of this.#targets(target)) {
      entry.setOverride(true);
      const outcome = await reloadInstances(entry, this.#deps.events);
      result.apps.push(outcome);
      this.#persist();
      if (outcome.failed) return { ...result, ok: false };
    }
    return result;
  }

  async delete(target: string): Promise<{ names: string[] }> {
    const entries = this.#targets(target);
    await Promise.all(entries.map((entry) => this.#remove(entry)));
    this.#persist();
    return { names: entries.map((entry) => entry.spec.name) };
  }

  async #remove(entry: AppEntry): Promise<void> {
    await Promise.all(entry.runners.map((runner) => runner.stop('stopped')));
    entry.dispose();
    this.#apps.delete(entry.spec.name);
    this.#deps.events.emit({ type: 'deleted', app: entry.spec.name });
  }

  /** Creates or updates one app (spec validated at the plane); a changed spec restarts its live instances. */
  async create(input: AppSpec, start: boolean): Promise<ApplyResult> {
    const spec = Object.freeze(input);
    const result: ApplyResult = { created: [], updated: [], unchanged: [], deleted: [] };
    result[await this.#upsert(spec)].push(spec.name);
    if (start) await this.start(spec.name);
    return result;
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
    const outcomes = await mapConcurrent(specs, APPLY_CONCURRENCY, (spec) => this.#upsert(spec));
    specs.forEach((spec, index) => result[outcomes[index] as UpsertOutcome].push(spec.name));
    if (prune) {
      for (const entry of [...this.#apps.values()]) {
        if (seen.has(entry.spec.name)) continue;
        await this.#remove(entry);
        result.deleted.push(entry.spec.name);
      }
    }
    this.#persist();
    return result;
  }

  async #upsert(spec: AppSpec): Promise<UpsertOutcome> {
    const existing = this.#apps.get(spec.name);
    if (!existing) {
      const entry = new AppEntry(spec, null);
      this.#apps.set(spec.name, entry);
      for (let index = 0; index < spec.instances; index += 1) {
        entry.runners.push(this.#createRunner(entry, newInstanceRecord(index, 'inactive')));
      }
      this.#deps.events.emit({ type: 'created', app: spec.name });
      await Promise.all(entry.runners.map((runner) => runner.reconcile()));
      this.#armBoundary(entry);
      return 'created';
    }
    if (sameSpec(existing.spec, spec)) return 'unchanged';
    await this.#update(existing, spec);
    return 'updated';
  }

  async #update(entry: AppEntry, spec: AppSpec): Promise<void> {
    entry.spec = spec;
    if (spec.launch.mode !== 'scheduled') entry.override = entry.override?.run === false ? entry.override : null;
    while (entry.runners.length > spec.instances) {
      const runner = entry.runners.pop() as InstanceRunner;
      await runner.stop('stopped');
      runner.dispose();
    }
    while (entry.runners.length < spec.instances) {
      entry.runners.push(this.#createRunner(entry, newInstanceRecord(entry.runners.length, 'inactive')));
    }
    this.#deps.events.emit({ type: 'updated', app: spec.name });
    await Promise.all(entry.runners.map((runner) => (runner.isLive ? runner.restart() : runner.reconcile())));
    this.#armBoundary(entry);
  }

  /** Daemon shutdown: timers stop; apps keep running unless `withApps`. */
  async shutdown(withApps: boolean): Promise<void> {
    if (withApps) {
      await Promise.all([...this.#apps.values()].flatMap((entry) => entry.runners.map((runner) => runner.stop('stopped'))));
      this.#persist();
    }
    for (const entry of this.#apps.values()) entry.dispose();
    this.#watcher.stop();
  }
}

function rowOf(record: InstanceRecord, runner: InstanceRunner, usage: Map<number, { cpu: number; memory: number }>): AppRow {
  const live = record.pid !== null ? usage.get(record.pid) : undefined;
  const uptimeMs = runner.isLive && record.startedAt ? Math.max(0, Date.now() - Date.parse(record.startedAt)) : 0;
  return {
    name: runner.name,
    instance: record.index,
    status: record.status,
    pid: runner.isLive ? record.pid : null,
    restarts: record.restarts,
    uptimeMs,
    cpu: live?.cpu ?? null,
    memory: live?.memory ?? null,
    lastExit: record.lastExit,
    reason: record.reason,
  };
}
