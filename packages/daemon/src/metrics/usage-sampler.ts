import { availableParallelism } from 'node:os';
import type { Win32ProcessUsage } from '../process/win32-native.ts';

interface Reading extends Win32ProcessUsage {
  at: number;
}

/** Where a sampler reads one process's CPU time, creation time and resident memory. */
export interface ProcessUsageSource {
  usage(pid: number): Win32ProcessUsage | null;
}

/**
 * CPU % and memory per pid straight from the kernel: on Windows GetProcessTimes and
 * K32GetProcessMemoryInfo (no wmic or PowerShell started every tick), on Linux
 * /proc/<pid>/stat (linux-usage.ts; no pidusage, its buffers and its open fd per pid). CPU % is the CPU time
 * used since the previous reading of the same process over the wall time between them (100 =
 * one core); a process seen for the first time is averaged over its life so far, as pidusage does.
 */
export class UsageSampler {
  readonly #source: ProcessUsageSource;
  #previous = new Map<number, Reading>();

  constructor(source: ProcessUsageSource) {
    this.#source = source;
  }

  read(pids: readonly number[], now = Date.now()): Map<number, { cpu: number; memory: number }> {
    const usage = new Map<number, { cpu: number; memory: number }>();
    const next = new Map<number, Reading>();
    for (const pid of pids) {
      const current = this.#source.usage(pid);
      if (current === null) continue;
      const reading = { ...current, at: now };
      next.set(pid, reading);
      usage.set(pid, { cpu: cpuPercent(this.#previous.get(pid), reading), memory: current.memory });
    }
    // Only pids asked about now are kept: a reused pid starts over (its creation time differs anyway).
    this.#previous = next;
    return usage;
  }
}

/**
 * CPU % between two readings of one process; over its whole life when there is no earlier
 * one. Never above what the machine's cores can give (clocks of a process a few ms old are
 * too coarse to divide by).
 */
export function cpuPercent(previous: Reading | undefined, current: Reading, cores = availableParallelism()): number {
  const samePid = previous !== undefined && previous.createdMs === current.createdMs;
  const cpuMs = current.cpuMs - (samePid ? previous.cpuMs : 0);
  const wallMs = current.at - (samePid ? previous.at : current.createdMs);
  if (wallMs <= 0 || cpuMs < 0) return 0;
  return Math.min(Math.round((cpuMs / wallMs) * 1000) / 10, cores * 100);
}
