import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { readProcStatSync } from '../process/proc-stat.ts';
import type { ProcessUsageSource } from './usage-sampler.ts';

/** What turns /proc/<pid>/stat's ticks and pages into ms and bytes. */
export interface LinuxClock {
  /** Clock ticks per second (USER_HZ). */
  clockTick: number;
  pageSize: number;
  /** When the machine booted, epoch ms. */
  bootMs: number;
}

let clockPromise: Promise<LinuxClock> | undefined;

/** Reads CLK_TCK and PAGESIZE once (getconf, as pidusage did; 100 and 4096 when it fails) and the boot time. */
export function readLinuxClock(): Promise<LinuxClock> {
  clockPromise ??= Promise.all([getconf('CLK_TCK', 100), getconf('PAGESIZE', 4096)]).then(([clockTick, pageSize]) => ({ clockTick, pageSize, bootMs: bootTimeMs() }));
  return clockPromise;
}

function getconf(name: string, fallback: number): Promise<number> {
  return new Promise((resolve) => {
    execFile('getconf', [name], { encoding: 'utf8' }, (error, stdout) => {
      const value = Number(stdout.trim());
      resolve(error === null && Number.isInteger(value) && value > 0 ? value : fallback);
    });
  });
}

function bootTimeMs(): number {
  try {
    const seconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    if (Number.isFinite(seconds)) return Date.now() - seconds * 1000;
  } catch {
    // Fall back to os.uptime() below.
  }
  return Date.now() - uptime() * 1000;
}

/**
 * One process's CPU time, creation time and RSS from /proc/<pid>/stat (one read into a shared
 * buffer, the fields cut out without splitting the line), for a UsageSampler.
 */
export function linuxUsageSource(clock: LinuxClock): ProcessUsageSource {
  const msPerTick = 1000 / clock.clockTick;
  return {
    usage(pid) {
      const stat = readProcStatSync(pid);
      if (stat === null) return null;
      return { cpuMs: stat.cpuTicks * msPerTick, createdMs: clock.bootMs + Number(stat.startTicks) * msPerTick, memory: stat.rssPages * clock.pageSize };
    },
  };
}
