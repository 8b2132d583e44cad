import { win32Native } from '../process/win32-native.ts';
import { linuxUsageSource, readLinuxClock } from './linux-usage.ts';
import { UsageSampler } from './usage-sampler.ts';

let sampler: UsageSampler | undefined;

/**
 * CPU % and RSS per pid, read from the kernel (Linux: /proc/<pid>/stat; Windows with the
 * native bindings: one kernel query per pid instead of a wmic run), elsewhere in one batched
 * pidusage call; pids that vanished are left out.
 */
export async function readProcessUsage(pids: number[]): Promise<Map<number, { cpu: number; memory: number }>> {
  if (pids.length === 0) return new Map();
  if (process.platform === 'linux') {
    sampler ??= new UsageSampler(linuxUsageSource(await readLinuxClock()));
    return sampler.read(pids);
  }
  const native = process.platform === 'win32' ? win32Native() : null;
  if (native) {
    sampler ??= new UsageSampler(native);
    return sampler.read(pids);
  }
  return readWithPidusage(pids);
}

async function readWithPidusage(pids: number[]): Promise<Map<number, { cpu: number; memory: number }>> {
  const usage = new Map<number, { cpu: number; memory: number }>();
  // Loaded only where it is used (macOS and other Unixes, Windows without the bindings).
  const { default: pidusage } = await import('pidusage');
  let stats: Record<string, { cpu: number; memory: number } | null>;
  try {
    stats = (await pidusage(pids)) as unknown as Record<string, { cpu: number; memory: number } | null>;
  } catch {
    // One vanished pid fails the batch: fall back to asking one by one.
    stats = {};
    await Promise.all(
      pids.map(async (pid) => {
        stats[pid] = await pidusage(pid).catch(() => null);
      }),
    );
  }
  for (const pid of pids) {
    const stat = stats[pid];
    if (stat) usage.set(pid, { cpu: Math.round(stat.cpu * 10) / 10, memory: stat.memory });
  }
  return usage;
}
