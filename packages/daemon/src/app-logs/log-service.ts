import { OwlError } from '@owl/rpc';
import type { AppSpec, LogLine, LogStreamChoice } from '@owl/rpc/contract';
import { appLogPaths } from './app-log-paths.ts';
import { DEFAULT_LOG_LIMITS, type LogLimits } from './log-limits.ts';
import type { RingEntry } from './log-ring.ts';
import { ReadBufferPool } from './read-buffers.ts';
import { LogTailer, type StreamName, type TailerDeps, type TailTarget } from './log-tailer.ts';
import { IdleSweep } from './idle-sweep.ts';
import { recoverRotationsSync } from './rotation/recover-rotations.ts';
import { isPidAlive } from '../process/is-alive.ts';
import type { ProcessTableEntry } from '../process/process-table.ts';

/** What the service needs to know of an app: its spec and which instances have a process. */
export interface LoggedApp {
  readonly spec: AppSpec;
  readonly instances: ReadonlyArray<{ readonly index: number; readonly pid: number | null }>;
}

export interface LogQuery {
  name?: string | undefined;
  stream: LogStreamChoice;
}

export interface LogServiceOptions {
  logsDirectory: string;
  warn(message: string): void;
  info(message: string): void;
  limits?: Partial<LogLimits>;
}

type LinesListener = (lines: LogLine[]) => void;

/**
 * App output for `owl logs`: one tailer per app, instance and stream, each with a bounded
 * ring; reads interleave rings by the order the daemon read the lines; follows get every
 * new line. Learns about apps from syncApps (called with every persisted state).
 */
export class LogService {
  readonly #options: LogServiceOptions;
  readonly #limits: LogLimits;
  readonly #tailers = new Map<string, LogTailer>();
  readonly #listeners = new Map<LinesListener, LogQuery>();
  #apps: Readonly<Record<string, LoggedApp>> = {};
  #seq = 0;
  /** Shared by every tailer; made with the first. */
  #tailerDeps: TailerDeps | undefined;
  #started = false;
  #stopped = false;

  constructor(options: LogServiceOptions) {
    this.#options = options;
    this.#limits = Object.freeze({ ...DEFAULT_LOG_LIMITS, ...options.limits });
  }

  /** Finishes rotations a crashed daemon left half done; call before any app is launched. */
  recover(): void {
    for (const done of recoverRotationsSync(this.#options.logsDirectory)) this.#options.info(`logs: recovered rotation of ${done}`);
  }

  /** The current app table; tailers follow it once started. */
  syncApps(apps: Readonly<Record<string, LoggedApp>>): void {
    this.#apps = apps;
    if (this.#started && !this.#stopped) this.#reconcileTailers();
  }

  start(): void {
    this.#started = true;
    this.#reconcileTailers();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#listeners.clear();
    await Promise.all([...this.#tailers.values()].map((tailer) => tailer.stop()));
    this.#tailers.clear();
  }

  /** The newest `lines` lines matching the query, oldest first; an unknown app is OWL_NOT_FOUND. */
  read(query: LogQuery, lines: number): LogLine[] {
    this.#requireApp(query.name);
    const entries: Array<{ target: TailTarget; entry: RingEntry }> = [];
    for (const tailer of this.#tailers.values()) {
      if (!matches(query, tailer.target)) continue;
      for (const entry of tailer.ring.last(lines)) entries.push({ target: tailer.target, entry });
    }
    entries.sort((a, b) => a.entry.seq - b.entry.seq);
    return entries.slice(-lines).map(({ target, entry }) => toLogLine(target, entry));
  }

  /** Calls `listener` with each batch of new matching lines until the returned function is called. */
  follow(query: LogQuery, listener: LinesListener): () => void {
    this.#requireApp(query.name);
    this.#listeners.set(listener, query);
    return () => this.#listeners.delete(listener);
  }

  #requireApp(name: string | undefined): void {
    if (name !== undefined && !Object.hasOwn(this.#apps, name)) {
      throw new OwlError('OWL_NOT_FOUND', `app "${name}" not found`, { data: { name } });
    }
  }

  #reconcileTailers(): void {
    const wanted = new Map<string, TailTarget>();
    for (const [name, app] of Object.entries(this.#apps)) {
      for (let index = 0; index < app.spec.instances; index += 1) {
        const paths = appLogPaths(this.#options.logsDirectory, name, index);
        for (const stream of ['out', 'err'] as const) wanted.set(tailerKey(name, index, stream), { app: name, instance: index, stream, file: paths[stream] });
      }
    }
    for (const [key, tailer] of this.#tailers) {
      if (wanted.has(key)) continue;
      this.#tailers.delete(key);
      void tailer.stop();
    }
    for (const [key, target] of wanted) {
      if (this.#tailers.has(key)) continue;
      const tailer = this.#createTailer(target);
      this.#tailers.set(key, tailer);
      tailer.start();
    }
  }

  #createTailer(target: TailTarget): LogTailer {
    this.#tailerDeps ??= {
      limits: this.#limits,
      readBuffers: new ReadBufferPool(this.#limits.readChunkBytes),
      idleSweep: new IdleSweep(this.#limits.watchedPollMaxMs),
      nextSeq: () => ++this.#seq,
      rotation: (of) => {
        const logs = this.#apps[of.app]?.spec.logs;
        return { maxSize: logs?.maxSize ?? 0, keep: logs?.keep ?? 0 };
      },
      writersStopped: (of) => {
        const pid = this.#instancePid(of);
        return pid === null || !isPidAlive(pid);
      },
      writerRoots: (of, table) => this.#writerRoots(of, table),
      followed: (source) => this.#followed(source),
      onLines: (source, entries) => this.#dispatch(source, entries),
      info: (message) => this.#options.info(message),
      warn: (message) => this.#options.warn(message),
    };
    return new LogTailer(target, this.#tailerDeps);
  }

  #instancePid(target: TailTarget): number | null {
    return this.#apps[target.app]?.instances.find((instance) => instance.index === target.instance)?.pid ?? null;
  }

  /**
   * The instance's process, plus any child of the daemon that no instance claims yet: a
   * process launched a moment ago has no pid in the persisted state yet, and may be a writer.
   */
  #writerRoots(target: TailTarget, table: readonly ProcessTableEntry[]): number[] {
    const claimed = new Set(Object.values(this.#apps).flatMap((app) => app.instances.map((instance) => instance.pid)));
    const own = this.#instancePid(target);
    const unclaimed = table.filter((row) => row.ppid === process.pid && !claimed.has(row.pid)).map((row) => row.pid);
    return own === null ? unclaimed : [own, ...unclaimed];
  }

  #followed(target: TailTarget): boolean {
    for (const query of this.#listeners.values()) if (matches(query, target)) return true;
    return false;
  }

  #dispatch(target: TailTarget, entries: RingEntry[]): void {
    let lines: LogLine[] | undefined;
    for (const [listener, query] of this.#listeners) {
      if (!matches(query, target)) continue;
      lines ??= entries.map((entry) => toLogLine(target, entry));
      listener(lines);
    }
  }
}

function tailerKey(app: string, instance: number, stream: StreamName): string {
  return `${app}\u0000${instance}\u0000${stream}`;
}

function matches(query: LogQuery, target: TailTarget): boolean {
  return (query.name === undefined || query.name === target.app) && (query.stream === 'both' || query.stream === target.stream);
}

function toLogLine(target: TailTarget, entry: RingEntry): LogLine {
  return { app: target.app, instance: target.instance, stream: target.stream, line: entry.line, at: new Date(entry.at).toISOString() };
}
