import { describe, expect, it } from 'vitest';
import { readProcStat } from '../../src/process/proc-stat.ts';

describe.runIf(process.platform === 'linux')('readProcStat', () => {
  it('reads a live process: its state and parent', async () => {
    const stat = await readProcStat(process.pid);
    expect(stat).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(stat?.state).toMatch(/^[RS]$/);
    expect(stat?.startTicks).toMatch(/^\d+$/);
  });

  it('is null for a pid that does not exist', async () => {
    expect(await readProcStat(2 ** 22 + 1)).toBeNull();
  });
});
