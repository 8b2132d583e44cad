import { appLogPaths } from '../app-logs/app-log-paths.ts';
import { readTailLinesSync } from '../app-logs/read-tail.ts';
import type { HealthVerdict } from '../health/health-monitor.ts';
import type { MemoryBreach } from '../metrics/memory-guard.ts';
import { decideAfterExit, describeExit, type ExitFacts } from './restart-policy.ts';
import type { InstanceSlot } from './instance-slot.ts';

/** Why an instance's process must go: it exited, its health check hung it, or its tree grew too big. */
export type RestartCause =
  | { kind: 'exit'; pid: number; code: number | null; signal: string | null }
  | { kind: 'health_kill'; pid: number; verdict: Extract<HealthVerdict, { kind: 'hung' }> }
  | { kind: 'max_memory'; pid: number; breach: MemoryBreach };

export type KillCause = Exclude<RestartCause, { kind: 'exit' }>;

const STDERR_LINES_IN_CRASH_EVENT = 10;

/** How a kill stops the tree and what its event says: a hung app gets no grace, an oversized one its stop signal. */
export function describeKill(cause: KillCause): { reason: string; force: boolean; data: Record<string, unknown> } {
  if (cause.kind === 'health_kill') {
    return { reason: `stalled for ${cause.verdict.killAfter} ms (killAfter); last check: ${cause.verdict.lastCheck}`, force: true, data: {} };
  }
  const { memory, limit } = cause.breach;
  return { reason: `process tree uses ${formatMegabytes(memory)}, above maxMemory ${formatMegabytes(limit)}`, force: false, data: { memory, limit } };
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Turns every cause into the same outcome: the tree is stopped (an exited process already is),
 * the event says why, and the restart policy decides what follows (relaunch after backoff,
 * budget spent, stay stopped). Health and metrics only report; this decides and acts.
 */
export class RestartDecider {
  readonly #slot: InstanceSlot;
  readonly #relaunch: () => Promise<void>;
  // When health checks stalled the instance: the run before it counts as healthy uptime.
  #stalledAt: number | undefined;

  /** `relaunch` runs when the policy's delay is over: it counts the restart and launches again. */
  constructor(slot: InstanceSlot, relaunch: () => Promise<void>) {
    this.#slot = slot;
    this.#relaunch = relaunch;
  }

  /** The health monitor's verdict: failing stalls a running instance, passing recovers a stalled one, hung kills it. */
  reportHealth(verdict: HealthVerdict): void {
    const { record } = this.#slot;
    if (verdict.kind === 'failing' && record.status === 'running') {
      this.#stalledAt = Date.now();
      this.#slot.transition('stalled', verdict.detail);
    } else if (verdict.kind === 'passing' && record.status === 'stalled') {
      this.#stalledAt = undefined;
      this.#slot.transition('running', null, { pid: record.pid });
    } else if (verdict.kind === 'hung') {
      this.#settle({ kind: 'health_kill', pid: verdict.pid, verdict }, 'health kill');
    }
  }

  /** The metrics service's breach: a tree above maxMemory for long enough is restarted. */
  reportMemory(breach: MemoryBreach): void {
    this.#settle({ kind: 'max_memory', pid: breach.pid, breach }, 'max_memory restart');
  }

  /** The watched process exited (or died while no daemon watched it). */
  async processOnExit(pid: number, code: number | null, signal: string | null): Promise<void> {
    await this.decide({ kind: 'exit', pid, code, signal });
  }

  #settle(cause: KillCause, what: string): void {
    this.decide(cause).catch((error: unknown) => this.#slot.deps.logError(`${this.#slot.label}: ${what} failed: ${String(error)}`));
  }

  /** Stops the tree for `cause` (unless it is gone already) and hands the outcome to the restart policy. */
  async decide(cause: RestartCause): Promise<void> {
    if (cause.kind === 'exit') {
      this.#exited(cause);
      return;
    }
    const { record } = this.#slot;
    if (record.pid === null || record.pid !== cause.pid || !['launching', 'running', 'stalled'].includes(record.status)) return;
    const epoch = await this.#slot.supersede();
    if (this.#slot.turns.isStale(epoch) || record.pid !== cause.pid) return;
    const healthyUntil = record.status === 'stalled' ? (this.#stalledAt ?? Date.now()) : Date.now();
    const uptimeMs = record.startedAt ? Math.max(0, healthyUntil - Date.parse(record.startedAt)) : null;
    const kill = describeKill(cause);
    this.#slot.emit(cause.kind, { pid: cause.pid, reason: kill.reason, ...kill.data });
    await this.#slot.terminate(kill.force);
    if (this.#slot.turns.isStale(epoch)) return;
    record.pid = null;
    this.#applyPolicy({ code: null, signal: record.lastExit?.signal ?? null, uptimeMs }, kill.reason);
  }

  #exited({ pid, code, signal }: Extract<RestartCause, { kind: 'exit' }>): void {
    const { record, deps } = this.#slot;
    if (record.pid !== pid) return;
    const at = new Date();
    const uptimeMs = record.startedAt ? at.getTime() - Date.parse(record.startedAt) : null;
    record.pid = null;
    record.lastExit = { code, signal, at: at.toISOString() };
    // A stop in progress owns what happens next.
    if (record.status === 'stopping') return;
    this.#slot.clearTimer();
    const stderr = readTailLinesSync(appLogPaths(deps.logsDirectory, deps.spec().name, deps.index).err, STDERR_LINES_IN_CRASH_EVENT);
    this.#slot.emit('exit', { pid, code, signal, uptimeMs, stderr });
    this.#applyPolicy({ code, signal, uptimeMs }, describeExit({ code, signal }));
  }

  /** What follows a failure (an exit, or a kill for health or memory): policy, budget, backoff. */
  #applyPolicy(facts: Pick<ExitFacts, 'code' | 'signal' | 'uptimeMs'>, cause: string): void {
    const { record, deps } = this.#slot;
    const decision = decideAfterExit(deps.spec().restart, { ...facts, failures: record.failures });
    record.failures = decision.failures;
    if (decision.action === 'stay-stopped') {
      this.#slot.transition('stopped', decision.reason);
    } else if (decision.action === 'budget-spent') {
      this.#slot.emit('budget_spent', { failures: decision.failures });
      this.#slot.transition('launch_failed', decision.reason);
      this.#slot.schedule(decision.retryInMs, this.#relaunch);
    } else if (!deps.desire().run) {
      this.#slot.transition(deps.desire().byOperator ? 'stopped' : 'inactive', cause);
    } else {
      this.#slot.transition('queued', `${cause}; relaunch in ${decision.delayMs} ms`, { delayMs: decision.delayMs });
      this.#slot.schedule(decision.delayMs, this.#relaunch);
    }
  }
}
