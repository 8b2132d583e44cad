import { describe, expect, it } from 'vitest';
import { cpuPercent, UsageSampler } from '../../src/metrics/usage-sampler.ts';

const reading = (cpuMs: number, at: number, createdMs = 0) => ({ cpuMs, createdMs, memory: 1, at });

describe('Windows CPU % from kernel CPU times', () => {
  it('divides the CPU time used between two readings by the wall time between them', () => {
    expect(cpuPercent(reading(1_000, 10_000), reading(1_500, 11_000))).toBe(50);
    expect(cpuPercent(reading(1_000, 10_000), reading(3_000, 11_000), 4)).toBe(200);
  });

  it('averages over the life so far on first sight, or when the pid now names another process', () => {
    expect(cpuPercent(undefined, reading(250, 1_000, 0))).toBe(25);
    expect(cpuPercent(reading(9_000, 500, 0), reading(100, 1_000, 800))).toBe(50);
  });

  it('never reports more than the cores can give, nor less than zero', () => {
    expect(cpuPercent(undefined, reading(5_000, 1_000, 999), 2)).toBe(200);
    expect(cpuPercent(reading(2_000, 1_000), reading(1_000, 2_000))).toBe(0);
    expect(cpuPercent(reading(1_000, 1_000), reading(1_000, 1_000))).toBe(0);
  });

  it('asks once per pid per reading and forgets pids no longer asked about', () => {
    const asked: number[] = [];
    const cpu = new Map([[7, 0], [8, 0]]);
    const sampler = new UsageSampler({
      usage: (pid) => {
        asked.push(pid);
        const used = cpu.get(pid);
        return used === undefined ? null : { cpuMs: used, createdMs: 0, memory: pid * 1_000 };
      },
    });
    expect(sampler.read([7, 8, 9], 1_000)).toEqual(new Map([[7, { cpu: 0, memory: 7_000 }], [8, { cpu: 0, memory: 8_000 }]]));
    cpu.set(7, 500);
    cpu.set(8, 100);
    expect(sampler.read([7], 2_000)).toEqual(new Map([[7, { cpu: 50, memory: 7_000 }]]));
    // 8 was not asked about last time: averaged over its life again.
    expect(sampler.read([8], 3_000).get(8)?.cpu).toBe(3.3);
    expect(asked).toEqual([7, 8, 9, 7, 8]);
  });
});
