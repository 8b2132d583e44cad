import { statfs } from 'node:fs/promises';
import os from 'node:os';

export interface HostFigures {
  /** Percent of all cores busy since the previous reading. */
  cpu: number;
  memory: number;
  memoryTotal: number;
  diskFree: number | null;
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/** Cheap host figures for heartbeats (no systeminformation: a beat every 2 s must cost nothing). */
export class HostFigureReader {
  readonly #diskPath: string;
  #last = cpuTimes();

  constructor(diskPath: string) {
    this.#diskPath = diskPath;
  }

  async read(): Promise<HostFigures> {
    const now = cpuTimes();
    const total = now.total - this.#last.total;
    const cpu = total > 0 ? Math.round(((now.busy - this.#last.busy) / total) * 1000) / 10 : 0;
    this.#last = now;
    const disk = await statfs(this.#diskPath).catch(() => null);
    return { cpu, memory: os.totalmem() - os.freemem(), memoryTotal: os.totalmem(), diskFree: disk ? disk.bavail * disk.bsize : null };
  }
}
