import type { AppSpec } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';
import { HealthMonitor, type MonitoredInstance } from './health-monitor.ts';
import { hasProbe, runProbes } from './instance-probe.ts';
import { WindowResponsiveWatcher } from './window-responsive.ts';

/** What the health service needs of an app instance (an InstanceRunner). */
export interface HealthCandidate extends MonitoredInstance {
  readonly spec: AppSpec;
}

export interface HealthServiceOptions {
  instances(): readonly HealthCandidate[];
  events: EventBus;
  log: { info(message: string): void; error(message: string): void };
  defaultCwd: string;
  /** A pid and its descendants (for windowResponsive, whose window may be a child's). */
  treeOf(pid: number): number[];
  platform?: NodeJS.Platform;
}

/** An exec check sees the instance's index as the app does, so it can probe that instance's own port. */
function instanceEnvironment(spec: AppSpec, index: number): NodeJS.ProcessEnv {
  return { ...process.env, ...spec.env, OWL_INSTANCE: String(index), NODE_APP_INSTANCE: String(index) };
}

interface Watch {
  pid: number;
  spec: AppSpec;
  monitor: HealthMonitor;
}

/**
 * Keeps one HealthMonitor per running (or stalled) instance that has a check: started when
 * the instance leaves initGrace, replaced when its process or spec changes, dropped when it
 * stops. It follows the event bus, so the runners need not know about it.
 */
export class HealthService {
  readonly #options: HealthServiceOptions;
  readonly #platform: NodeJS.Platform;
  readonly #watches = new Map<HealthCandidate, Watch>();
  readonly #warned = new Set<string>();
  readonly #windows: WindowResponsiveWatcher | undefined;
  #stopListening: (() => void) | undefined;
  #syncQueued = false;

  constructor(options: HealthServiceOptions) {
    this.#options = options;
    this.#platform = options.platform ?? process.platform;
    this.#windows = this.#platform === 'win32' ? new WindowResponsiveWatcher({ treeOf: options.treeOf }) : undefined;
  }

  start(): void {
    this.#stopListening = this.#options.events.listen((event) => {
      if (event.app !== undefined && event.type !== 'health') this.#queueSync();
    });
    this.#sync();
  }

  stop(): void {
    this.#stopListening?.();
    for (const watch of this.#watches.values()) watch.monitor.dispose();
    this.#watches.clear();
    this.#windows?.stop();
  }

  // Events fire inside a runner's transition: sync once after it, not in the middle of it.
  #queueSync(): void {
    if (this.#syncQueued) return;
    this.#syncQueued = true;
    queueMicrotask(() => {
      this.#syncQueued = false;
      if (this.#stopListening) this.#sync();
    });
  }

  #sync(): void {
    const wanted = new Set<HealthCandidate>();
    for (const instance of this.#options.instances()) {
      const { pid, status } = instance.record;
      const { health } = instance.spec;
      if (pid === null || (status !== 'running' && status !== 'stalled')) continue;
      this.#warnIgnoredWindowCheck(instance.spec);
      if (!hasProbe(health, this.#platform)) continue;
      wanted.add(instance);
      const current = this.#watches.get(instance);
      if (current && current.pid === pid && current.spec === instance.spec) continue;
      if (current) this.#unwatch(instance, current);
      this.#watch(instance, pid);
    }
    for (const [instance, watch] of this.#watches) if (!wanted.has(instance)) this.#unwatch(instance, watch);
  }

  #watch(instance: HealthCandidate, pid: number): void {
    const { spec } = instance;
    const health = spec.health as NonNullable<AppSpec['health']>;
    const context = { pid, cwd: spec.cwd ?? this.#options.defaultCwd, env: instanceEnvironment(spec, instance.record.index), windows: this.#windows };
    const monitor = new HealthMonitor({
      instance,
      pid,
      health,
      probe: () => runProbes(health, context),
      emit: (event) => this.#options.events.emit(event),
      logError: (message) => this.#options.log.error(message),
    });
    if (health.windowResponsive === true) this.#windows?.watch(pid, health.interval);
    this.#watches.set(instance, { pid, spec, monitor });
    monitor.start();
  }

  #unwatch(instance: HealthCandidate, watch: Watch): void {
    watch.monitor.dispose();
    this.#windows?.unwatch(watch.pid);
    this.#watches.delete(instance);
  }

  #warnIgnoredWindowCheck(spec: AppSpec): void {
    if (spec.health?.windowResponsive !== true || this.#platform === 'win32' || this.#warned.has(spec.name)) return;
    this.#warned.add(spec.name);
    this.#options.log.info(`app "${spec.name}": health.windowResponsive is a Windows check and is ignored on ${this.#platform}`);
  }
}
