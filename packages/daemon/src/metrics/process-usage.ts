import pidusage from 'pidusage';
import { win32Native } from '../process/win32-native.ts';
import { Win32UsageSampler } from './win32-usage.ts';

let windowsSampler: Win32UsageSampler | undefined;

/**
 * CPU % and RSS per pid in one batched pidusage call (on Windows with the native bindings,
 * one kernel query per pid instead of a wmic run); pids that vanished are left out.
 */
export async function readProcessUsage(pids: number[]): Promise<Map<number, { cpu: number; memory: number }>> {
  const usage = new Map<number, { cpu: number; memory: number }>();
  if (pids.length === 0) return usage;
  const native = process.platform === 'win32' ? win32Native() : null;
  if (native) {
    windowsSampler ??= new Win32UsageSampler(native);
    return windowsSampler.read(pids);
  }
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
