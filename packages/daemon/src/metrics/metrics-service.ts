import { OwlError } from '@owl/rpc';
import type { AppMetrics, AppStatus, MetricsResult } from '@owl/rpc/contract';
import type { ProcessTableEntry } from '../process/process-table.ts';
import { collectDescendants } from '../process/process-tree.ts';
import { HostSampler } from './host-sampler.ts';
import { MemoryGuard, type MemoryBreach } from './memory-guard.ts';
import { loadHistory, saveHistory } from './history-store.ts';
import { MetricHistory, resolutionFor } from './metric-history.ts';
import { summarizePoints, toMetricsPoints } from './metrics-summary.ts';
import { readTreeUsage, type TreeUsage } from './tree-usage.ts';

/** What the metrics service needs of an app instance (an InstanceRunner). */
export interface MeasuredInstance {
  readonly name: string;
  readonly record: { readonly index: number; readonly pid: number | null; readonly status: AppStatus };
  readonly isLive: boolean;
  readonly spec: { readonly maxMemory?: number | undefined };
  /** Told when the tree stayed above maxMemory; the supervisor decides what follows. */
  reportMemory(breach: MemoryBreach): void;
}

export interface MetricsServiceOptions {
  intervalMs: number;
  instances(): readonly MeasuredInstance[];
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** Where history survives daemon restarts: loaded at start, saved every 10 min and at stop. */
  historyFile?: string;
}

const HOST_SERIES = 'host';
const HISTORY_SAVE_EVERY_MS = 10 * 60 * 1000;

export interface MetricsQuery {
  name?: string | undefined;
  sinceMs: number;
  history: boolean;
}

interface InstanceSeries {
  readonly history: MetricHistory;
  latest: { pid: number; at: number; usage: TreeUsage } | undefined;
}

/**
 * Samples the host and every live app's process tree once per tick (unref'd, never
 * overlapping), keeps downsampled history, serves the latest values to `owl ls`, and reports
 * apps whose tree stays above maxMemory (the supervisor restarts them).
 */
export class MetricsService {
  readonly intervalMs: number;
  readonly #options: MetricsServiceOptions;
  readonly #hostHistory = new MetricHistory(2);
  readonly #series = new Map<string, InstanceSeries>();
  readonly #guard = new MemoryGuard<MeasuredInstance>();
  #host: HostSampler | undefined;
  #hostAt: number | null = null;
  #byPid = new Map<number, TreeUsage>();
  #table: ProcessTableEntry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #lastError = '';
  #savedAt = Date.now();
  #saving: Promise<void> | undefined;
  /** Set by start(): until the saved history is loaded, saving would overwrite it. */
  #starting: Promise<void> | undefined;

  constructor(options: MetricsServiceOptions) {
    this.intervalMs = options.intervalMs;
    this.#options = options;
  }

  /** Loads saved history, then arms the first tick. */
  async start(): Promise<void> {
    if (this.#stopped) return;
    this.#starting = this.#loadHistory();
    await this.#starting;
    this.#host = new HostSampler(this.intervalMs, (what, error) => this.#report(`cannot read ${what}: ${String(error)}`));
    this.#arm(0);
  }

  /** Host disks, network and GPUs load on the first ask (systeminformation): call before snapshot(). */
  async loadHostDetails(): Promise<void> {
    await this.#host?.loadDetails();
  }

  /** Stops ticking, waits for a tick in progress, and saves the history. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    await this.#saving;
    // Stopped before it started: the saved history was never loaded and stays as it is.
    if (this.#starting === undefined) return;
    await this.#starting;
    await this.#saveHistory();
  }

  /** Tree CPU % and RSS from the latest tick, by root pid (for `owl ls`); no pidusage call. */
  usageOf(pids: readonly number[]): Map<number, { cpu: number; memory: number }> {
    const usage = new Map<number, { cpu: number; memory: number }>();
    for (const pid of pids) {
      const tree = this.#byPid.get(pid);
      if (tree) usage.set(pid, { cpu: tree.cpu, memory: tree.memory });
    }
    return usage;
  }

  /** The pid and its descendants as of the latest tick (just the pid before the first one). */
  treeOf(pid: number): number[] {
    return [pid, ...collectDescendants(this.#table, [pid]).map((row) => row.pid)];
  }

  snapshot(query: MetricsQuery): MetricsResult {
    const instances = this.#options.instances().filter((instance) => query.name === undefined || instance.name === query.name);
    if (query.name !== undefined && instances.length === 0) {
      throw new OwlError('OWL_NOT_FOUND', `app "${query.name}" not found`, { data: { name: query.name } });
    }
    const now = Date.now();
    const hostPoints = toMetricsPoints(this.#hostHistory.query(query.sinceMs, now).points);
    const host = this.#host?.latest() ?? { cpu: null, cores: 0, memory: null, disks: [], network: [], gpus: [] };
    return {
      intervalMs: this.intervalMs,
      sinceMs: query.sinceMs,
      resolutionMs: resolutionFor(query.sinceMs),
      host: {
        at: this.#hostAt === null ? null : new Date(this.#hostAt).toISOString(),
        ...host,
        summary: summarizePoints(hostPoints),
        history: query.history ? hostPoints : [],
      },
      apps: instances.map((instance) => this.#appMetrics(instance, query, now)),
    };
  }

  #appMetrics(instance: MeasuredInstance, query: MetricsQuery, now: number): AppMetrics {
    const series = this.#series.get(seriesKey(instance));
    const points = series ? toMetricsPoints(series.history.query(query.sinceMs, now).points) : [];
    const latest = series?.latest;
    // A sample of an earlier process of this instance is not its current usage.
    const current = latest && instance.isLive && latest.pid === instance.record.pid ? latest : undefined;
    return {
      name: instance.name,
      instance: instance.record.index,
      pid: current?.pid ?? null,
      at: current ? new Date(current.at).toISOString() : null,
      processes: current?.usage.processes ?? 0,
      cpu: current?.usage.cpu ?? null,
      memory: current?.usage.memory ?? null,
      summary: summarizePoints(points),
      history: query.history ? points : [],
    };
  }

  #arm(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      const started = Date.now();
      this.#running = this.#tick()
        .catch((error: unknown) => this.#report(`metrics tick failed: ${String(error)}`))
        .finally(() => {
          this.#running = undefined;
          this.#arm(Math.max(0, this.intervalMs - (Date.now() - started)));
        });
    }, delayMs).unref();
  }

  async #tick(): Promise<void> {
    const instances = this.#options.instances();
    const live = instances.filter((instance) => instance.isLive && instance.record.pid !== null);
    const [reading, host] = await Promise.all([readTreeUsage(live.map((instance) => instance.record.pid as number)), this.#host?.tick()]);
    const at = Date.now();
    if (host) {
      this.#hostHistory.add(at, [host.cpu, host.memory]);
      this.#hostAt = at;
    }
    this.#table = reading.table;
    this.#byPid = reading.usage;
    this.#recordInstances(at, instances, reading.usage);
    this.#reportMemoryBreaches(live, reading.usage);
    if (at - this.#savedAt >= HISTORY_SAVE_EVERY_MS && !this.#saving) {
      // In the background: a slow disk never delays the next tick.
      this.#saving = this.#saveHistory().finally(() => (this.#saving = undefined));
    }
  }

  async #loadHistory(): Promise<void> {
    const file = this.#options.historyFile;
    if (file === undefined) return;
    let saved;
    try {
      saved = await loadHistory(file);
    } catch (error) {
      this.#options.log.warn(`metrics history ${file} not loaded, starting over: ${(error as Error).message}`);
      return;
    }
    if (saved === null) return;
    let restored = 0;
    for (const [name, rings] of saved) {
      const history = name === HOST_SERIES ? this.#hostHistory : new MetricHistory(2);
      if (!history.importState(rings)) continue;
      if (name !== HOST_SERIES) this.#series.set(name, { history, latest: undefined });
      restored += 1;
    }
    this.#options.log.info(`metrics history loaded: ${restored} of ${saved.size} series`);
  }

  async #saveHistory(): Promise<void> {
    const file = this.#options.historyFile;
    if (file === undefined) return;
    this.#savedAt = Date.now();
    const series = new Map([[HOST_SERIES, this.#hostHistory]]);
    for (const [name, { history }] of this.#series) series.set(name, history);
    await saveHistory(file, series).catch((error: unknown) => this.#options.log.warn(`cannot save metrics history to ${file}: ${String(error)}`));
  }

  #recordInstances(at: number, instances: readonly MeasuredInstance[], usage: Map<number, TreeUsage>): void {
    const keys = new Set(instances.map(seriesKey));
    for (const key of this.#series.keys()) if (!keys.has(key)) this.#series.delete(key);
    for (const instance of instances) {
      const key = seriesKey(instance);
      const pid = instance.record.pid;
      const tree = pid === null ? undefined : usage.get(pid);
      let series = this.#series.get(key);
      if (!tree || pid === null) {
        if (series) series.latest = undefined;
        continue;
      }
      if (!series) this.#series.set(key, (series = { history: new MetricHistory(2), latest: undefined }));
      series.latest = { pid, at, usage: tree };
      series.history.add(at, [tree.cpu, tree.memory]);
    }
  }

  #reportMemoryBreaches(live: readonly MeasuredInstance[], usage: Map<number, TreeUsage>): void {
    this.#guard.keepOnly(new Set(live));
    for (const instance of live) {
      const pid = instance.record.pid as number;
      const tree = usage.get(pid);
      const limit = instance.spec.maxMemory;
      if (!tree || limit === undefined || instance.record.pid !== pid) continue;
      if (!this.#guard.exceeded(instance, pid, tree.memory, limit)) continue;
      instance.reportMemory({ pid, memory: tree.memory, limit });
    }
  }

  // The same failure every tick is logged once, not every 5 s.
  #report(message: string): void {
    if (message === this.#lastError) return;
    this.#lastError = message;
    this.#options.log.warn(message);
  }
}

function seriesKey(instance: MeasuredInstance): string {
  return `${instance.name}#${instance.record.index}`;
}
