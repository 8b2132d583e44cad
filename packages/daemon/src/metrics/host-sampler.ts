import { cpus } from 'node:os';
import type { HostMetrics } from '@owl/rpc/contract';
import { BackgroundValue } from './background-value.ts';
import {
  loadSystemInformation,
  readDisks,
  readGpus,
  readHostCpu,
  readHostMemory,
  readNetwork,
  type DiskUsage,
  type GpuUsage,
  type HostMemory,
  type NetworkUsage,
  type SystemInformation,
} from './host-readers.ts';

/** Disks and network counters change slowly and cost a process (df) or more: every 30 s is enough. */
const HEAVY_EVERY_MS = 30_000;
/** The longest a tick waits for CPU and memory before recording what it has. */
const FAST_WAIT_LIMIT_MS = 1_000;

export type HostLatest = Omit<HostMetrics, 'history' | 'summary' | 'at'>;

/**
 * Host metrics through systeminformation. CPU and memory are refreshed every tick (the tick
 * waits for them a bounded time); disks and network every ~30 s, GPUs once at start and then
 * only where the driver reports live utilization. Every call runs in the background, so a
 * slow one never blocks a tick.
 */
export class HostSampler {
  readonly #heavyEveryTicks: number;
  readonly #fastWaitMs: number;
  readonly #cpu: BackgroundValue<number>;
  readonly #memory: BackgroundValue<HostMemory>;
  readonly #disks: BackgroundValue<DiskUsage[]>;
  readonly #network: BackgroundValue<NetworkUsage[]>;
  readonly #gpus: BackgroundValue<GpuUsage[]>;
  #ticks = 0;

  constructor(si: SystemInformation, intervalMs: number, onError: (what: string, error: unknown) => void) {
    this.#heavyEveryTicks = Math.max(1, Math.round(HEAVY_EVERY_MS / intervalMs));
    this.#fastWaitMs = Math.min(FAST_WAIT_LIMIT_MS, Math.max(1, Math.floor(intervalMs / 2)));
    this.#cpu = new BackgroundValue(() => readHostCpu(si), (error) => onError('host cpu', error));
    this.#memory = new BackgroundValue(() => readHostMemory(si), (error) => onError('host memory', error));
    this.#disks = new BackgroundValue(() => readDisks(si), (error) => onError('disks', error));
    this.#network = new BackgroundValue(() => readNetwork(si), (error) => onError('network', error));
    this.#gpus = new BackgroundValue(() => readGpus(si), (error) => onError('gpus', error));
  }

  static async create(intervalMs: number, onError: (what: string, error: unknown) => void): Promise<HostSampler> {
    return new HostSampler(await loadSystemInformation(), intervalMs, onError);
  }

  /** One tick: refreshes what is due; resolves with CPU % and used bytes once known. */
  async tick(): Promise<{ cpu: number; memory: number } | undefined> {
    if (this.#ticks % this.#heavyEveryTicks === 0) this.#refreshHeavy();
    this.#ticks += 1;
    void this.#cpu.refresh();
    void this.#memory.refresh();
    await Promise.all([this.#cpu.settled(this.#fastWaitMs), this.#memory.settled(this.#fastWaitMs)]);
    const cpu = this.#cpu.value;
    const memory = this.#memory.value;
    return cpu === undefined || memory === undefined ? undefined : { cpu, memory: memory.used };
  }

  latest(): HostLatest {
    return {
      cpu: this.#cpu.value ?? null,
      cores: cpus().length,
      memory: this.#memory.value ?? null,
      disks: this.#disks.value ?? [],
      network: this.#network.value ?? [],
      gpus: this.#gpus.value ?? [],
    };
  }

  #refreshHeavy(): void {
    void this.#disks.refresh();
    void this.#network.refresh();
    // The first graphics() finds the GPUs; later ones only pay off where utilization is live.
    const gpus = this.#gpus.value;
    if (this.#ticks === 0 || gpus?.some((gpu) => gpu.utilization !== null)) void this.#gpus.refresh();
  }
}
