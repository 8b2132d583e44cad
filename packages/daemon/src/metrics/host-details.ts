import { BackgroundValue } from './background-value.ts';
import { loadSystemInformation, readDisks, readGpus, readNetwork, type DiskUsage, type GpuUsage, type NetworkUsage, type SystemInformation } from './host-readers.ts';

export interface HostDetailValues {
  disks: DiskUsage[];
  network: NetworkUsage[];
  gpus: GpuUsage[];
}

/**
 * Disks, network counters and GPUs through systeminformation, each refreshed in the background
 * (a `df`, an nvidia-smi) so a slow call never holds anything up. Only made once somebody asks
 * for host metrics: an idle daemon nobody queries never loads systeminformation.
 */
export class HostDetails {
  readonly #disks: BackgroundValue<DiskUsage[]>;
  readonly #network: BackgroundValue<NetworkUsage[]>;
  readonly #gpus: BackgroundValue<GpuUsage[]>;
  #refreshes = 0;

  constructor(si: SystemInformation, onError: (what: string, error: unknown) => void) {
    this.#disks = new BackgroundValue(() => readDisks(si), (error) => onError('disks', error));
    this.#network = new BackgroundValue(() => readNetwork(si), (error) => onError('network', error));
    this.#gpus = new BackgroundValue(() => readGpus(si), (error) => onError('gpus', error));
  }

  static async load(onError: (what: string, error: unknown) => void): Promise<HostDetails> {
    return new HostDetails(await loadSystemInformation(), onError);
  }

  /** Starts a refresh of each value; resolves when all have settled (never rejects). */
  refresh(): Promise<unknown> {
    const first = this.#refreshes === 0;
    this.#refreshes += 1;
    // The first graphics() finds the GPUs; later ones only pay off where utilization is live.
    const gpus = this.#gpus.value;
    const refreshGpus = first || gpus?.some((gpu) => gpu.utilization !== null);
    return Promise.all([this.#disks.refresh(), this.#network.refresh(), refreshGpus ? this.#gpus.refresh() : undefined]);
  }

  latest(): HostDetailValues {
    return { disks: this.#disks.value ?? [], network: this.#network.value ?? [], gpus: this.#gpus.value ?? [] };
  }
}
