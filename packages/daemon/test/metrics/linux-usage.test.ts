import { describe, expect, it } from 'vitest';
import { linuxUsageSource, readLinuxClock } from '../../src/metrics/linux-usage.ts';
import { readProcessUsage } from '../../src/metrics/process-usage.ts';

describe.runIf(process.platform === 'linux')('process usage from /proc/<pid>/stat', () => {
  it("reads this process's CPU time, creation time and resident memory", async () => {
    const clock = await readLinuxClock();
    const before = process.cpuUsage();
    const reading = linuxUsageSource(clock).usage(process.pid);
    const after = process.cpuUsage();
    expect(reading).not.toBeNull();
    // Ticks are 10 ms at USER_HZ 100: the kernel's count lies within a tick or two of Node's.
    expect(reading?.cpuMs).toBeGreaterThanOrEqual((before.user + before.system) / 1000 - 50);
    expect(reading?.cpuMs).toBeLessThanOrEqual((after.user + after.system) / 1000 + 50);
    const startedMs = Date.now() - process.uptime() * 1000;
    expect(Math.abs((reading?.createdMs ?? 0) - startedMs)).toBeLessThan(2_000);
    const rss = process.memoryUsage().rss;
    expect(reading?.memory).toBeGreaterThan(rss / 2);
    expect(reading?.memory).toBeLessThan(rss * 2);
  });

  it('is null for a pid that does not exist, and readProcessUsage leaves it out', async () => {
    const gone = 2 ** 22 + 1;
    expect(linuxUsageSource(await readLinuxClock()).usage(gone)).toBeNull();
    const usage = await readProcessUsage([process.pid, gone]);
    expect([...usage.keys()]).toEqual([process.pid]);
    expect(usage.get(process.pid)?.cpu).toBeGreaterThanOrEqual(0);
  });
});
