import os from 'node:os';
import type { HostMemory } from './host-readers.ts';

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

/**
 * Host CPU % busy (all cores) since the previous reading, from the kernel's counters through
 * os.cpus(): what every metrics tick needs, without loading systeminformation (~2.7 MiB).
 */
export class HostCpuMeter {
  #last = cpuTimes();

  read(): number {
    const now = cpuTimes();
    const total = now.total - this.#last.total;
    const busy = now.busy - this.#last.busy;
    this.#last = now;
    return total > 0 ? Math.round((busy / total) * 1000) / 10 : 0;
  }
}

/** "Used" is what applications hold: os.freemem() is what the kernel could hand out (Linux: MemAvailable). */
export function readHostMemoryNow(): HostMemory {
  const total = os.totalmem();
  const available = Math.min(total, os.freemem());
  return { total, used: total - available, available };
}
