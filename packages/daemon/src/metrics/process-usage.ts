import pidusage from 'pidusage';

/** CPU % and RSS per pid in one batched pidusage call; pids that vanished are left out. */
export async function readProcessUsage(pids: number[]): Promise<Map<number, { cpu: number; memory: number }>> {
  const usage = new Map<number, { cpu: number; memory: number }>();
  if (pids.length === 0) return usage;
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
