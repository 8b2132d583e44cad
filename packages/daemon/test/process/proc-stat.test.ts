import { describe, expect, it } from 'vitest';
import { parseProcStat, readProcStat } from '../../src/process/proc-stat.ts';

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

describe('parseProcStat', () => {
  // A real line of /proc/<pid>/stat, with a command name that holds a space and parens.
  const line = '4242 (my (odd) app) S 17 4242 4242 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 1 0 987654 5595136 364 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n';

  it('takes state, parent, CPU ticks, start ticks and resident pages after the last paren', () => {
    expect(parseProcStat(4242, line)).toEqual({ pid: 4242, state: 'S', ppid: 17, startTicks: '987654', cpuTicks: 4, rssPages: 364 });
  });

  it('is null for a line cut before its resident size, without a command name or with a bad field', () => {
    expect(parseProcStat(4242, '4242 (app) S 17 4242 4242 0')).toBeNull();
    expect(parseProcStat(4242, '4242 app S 17')).toBeNull();
    expect(parseProcStat(4242, '4242 (app) S x 4242 4242 0 -1 4194560 120 0 0 0 3 1 0 0 20 0 1 0 987654 5')).toBeNull();
  });
});
