import { statfs } from 'node:fs/promises';
import { HostCpuMeter, readHostMemoryNow } from '../metrics/host-usage.ts';

export interface HostFigures {
  /** Percent of all cores busy since the previous reading. */
  cpu: number;
  memory: number;
  memoryTotal: number;
  diskFree: number | null;
}

/**
 * Cheap host figures for heartbeats: the same kernel counters the metrics tick reads (no
 * systeminformation: a beat every 2 s must cost nothing), plus the free space of OWL_HOME's disk.
 */
export class HostFigureReader {
  readonly #diskPath: string;
  readonly #cpu = new HostCpuMeter();

  constructor(diskPath: string) {
    this.#diskPath = diskPath;
  }

  async read(): Promise<HostFigures> {
    const cpu = this.#cpu.read();
    const memory = readHostMemoryNow();
    const disk = await statfs(this.#diskPath).catch(() => null);
    return { cpu, memory: memory.used, memoryTotal: memory.total, diskFree: disk ? disk.bavail * disk.bsize : null };
  }
}
