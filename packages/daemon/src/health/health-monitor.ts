import type { AppStatus } from '@owl/rpc/contract';
import type { EventInput } from '../events/event-bus.ts';
import type { HealthSpec } from './instance-probe.ts';
import type { ProbeResult } from './probe-result.ts';

/**
 * What a monitor concludes about one process: `failing` once stallAfter checks in a row failed,
 * `passing` on a pass, `hung` once a stall has lasted killAfter. The supervisor decides what
 * each means for the instance (stall, recover, kill and restart by policy).
 */
export type HealthVerdict =
  | { kind: 'passing'; detail: string }
  | { kind: 'failing'; detail: string }
  | { kind: 'hung'; pid: number; killAfter: number; lastCheck: string };

/** What a monitor needs of an app instance (an InstanceRunner). */
export interface MonitoredInstance {
  readonly name: string;
  readonly record: { readonly index: number; readonly pid: number | null; readonly status: AppStatus };
  reportHealth(verdict: HealthVerdict): void;
}

export interface HealthMonitorOptions {
  instance: MonitoredInstance;
  /** The process this monitor watches; a relaunch gets a new monitor. */
  pid: number;
  health: HealthSpec;
  probe(): Promise<ProbeResult>;
  emit(event: EventInput): void;
  logError(message: string): void;
}

/**
 * Checks one running process every `interval` (never overlapping) and reports verdicts:
 * `stallAfter` failures in a row are `failing`, a pass is `passing`, and a stall that lasts
 * `killAfter` is `hung`. A 'health' event marks each change between passing and failing.
 */
export class HealthMonitor {
  readonly #options: HealthMonitorOptions;
  #failures = 0;
  #lastOk: boolean | undefined;
  #lastDetail = '';
  #timer: NodeJS.Timeout | undefined;
  #killTimer: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(options: HealthMonitorOptions) {
    this.#options = options;
  }

  /** The first check runs one interval from now: the app has just started (or left initGrace). */
  start(): void {
    this.#arm();
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#killTimer);
  }

  #arm(): void {
    if (this.#disposed) return;
    this.#timer = setTimeout(() => {
      void this.#check()
        .catch((error: unknown) => this.#options.logError(`health check of ${this.#label()} failed to run: ${String(error)}`))
        .finally(() => this.#arm());
    }, this.#options.health.interval).unref();
  }

  async #check(): Promise<void> {
    const result = await this.#options.probe();
    if (this.#disposed || this.#options.instance.record.pid !== this.#options.pid) return;
    if (this.#lastOk !== result.ok) this.#emitChange(result);
    this.#lastOk = result.ok;
    this.#lastDetail = result.detail;
    if (result.ok) this.#onPass(result);
    else this.#onFail(result);
  }

  #onPass(result: ProbeResult): void {
    this.#failures = 0;
    clearTimeout(this.#killTimer);
    this.#killTimer = undefined;
    this.#options.instance.reportHealth({ kind: 'passing', detail: result.detail });
  }

  #onFail(result: ProbeResult): void {
    this.#failures += 1;
    const { stallAfter } = this.#options.health;
    if (this.#failures < stallAfter) return;
    this.#options.instance.reportHealth({ kind: 'failing', detail: `${this.#failures} consecutive health check failures; last: ${result.detail}` });
    if (this.#options.instance.record.status === 'stalled' && this.#killTimer === undefined) this.#armKill();
  }

  #armKill(): void {
    const { killAfter } = this.#options.health;
    this.#killTimer = setTimeout(() => {
      const { instance, pid } = this.#options;
      if (this.#disposed || instance.record.pid !== pid || instance.record.status !== 'stalled') return;
      instance.reportHealth({ kind: 'hung', pid, killAfter, lastCheck: this.#lastDetail });
    }, killAfter).unref();
  }

  #emitChange(result: ProbeResult): void {
    const { instance, pid } = this.#options;
    this.#options.emit({ type: 'health', app: instance.name, instance: instance.record.index, data: { ok: result.ok, detail: result.detail, pid } });
  }

  #label(): string {
    return `${this.#options.instance.name}#${this.#options.instance.record.index}`;
  }
}
