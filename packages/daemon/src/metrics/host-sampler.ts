import { cpus } from 'node:os';
import type { HostMetrics } from '@owl/rpc/contract';
import { HostDetails } from './host-details.ts';
import type { HostMemory } from './host-readers.ts';
import { HostCpuMeter, readHostMemoryNow } from './host-usage.ts';

/** Disks and network counters change slowly and cost a process (df) or more: every 30 s is enough. */
const HEAVY_EVERY_MS = 30_000;
/** The longest the first ask for host metrics waits for systeminformation's first values. */
const FIRST_DETAILS_WAIT_MS = 1_000;

export type HostLatest = Omit<HostMetrics, 'history' | 'summary' | 'at'>;

/**
 * Host metrics. CPU and memory, which every tick records into history, come from the kernel's
 * counters through node:os (cheap, synchronous). Disks, network and GPUs come through
 * systeminformation, loaded on the first ask for host metrics (`owl metrics`, the dashboard)
 * and from then on refreshed every ~30 s in the background.
 */
export class HostSampler {
  readonly #heavyEveryTicks: number;
  readonly #onError: (what: string, error: unknown) => void;
  readonly #cpuMeter = new HostCpuMeter();
  #cpu: number | undefined;
  #memory: HostMemory | undefined;
  #details: HostDetails | undefined;
  #detailsLoading: Promise<unknown> | undefined;
  #ticks = 0;

  constructor(intervalMs: number, onError: (what: string, error: unknown) => void) {
    this.#heavyEveryTicks = Math.max(1, Math.round(HEAVY_EVERY_MS / intervalMs));
    this.#onError = onError;
  }

  /** One tick: CPU % since the last tick and used bytes now. */
  tick(): { cpu: number; memory: number } {
    this.#cpu = this.#cpuMeter.read();
    this.#memory = readHostMemoryNow();
    if (this.#details && this.#ticks % this.#heavyEveryTicks === 0) void this.#details.refresh();
    this.#ticks += 1;
    return { cpu: this.#cpu, memory: this.#memory.used };
  }

  /** Loads the details on the first call and waits (bounded) for their first values. */
  async loadDetails(limitMs: number = FIRST_DETAILS_WAIT_MS): Promise<void> {
    this.#detailsLoading ??= HostDetails.load(this.#onError).then(
      (details) => {
        this.#details = details;
        return details.refresh();
      },
      (error: unknown) => this.#onError('host details (systeminformation)', error),
    );
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs).unref()));
    await Promise.race([this.#detailsLoading, limit]);
    clearTimeout(timer);
  }

  latest(): HostLatest {
    return {
      cpu: this.#cpu ?? null,
      cores: cpus().length,
      memory: this.#memory ?? null,
      ...(this.#details?.latest() ?? { disks: [], network: [], gpus: [] }),
    };
  }
}
