import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HostFigureReader } from '../../src/cluster/host-figures.ts';

describe('heartbeat host figures', () => {
  it('reads CPU busy %, memory held by applications and the free space of the given disk', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'owl-host-figures-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const reader = new HostFigureReader(dir);
    // Some CPU work between readings, so the kernel's counters move.
    let spin = 0;
    for (let i = 0; i < 5_000_000; i += 1) spin += i % 7;
    expect(spin).toBeGreaterThan(0);
    const figures = await reader.read();
    expect(figures.cpu).toBeGreaterThanOrEqual(0);
    expect(figures.cpu).toBeLessThanOrEqual(100);
    expect(figures.memoryTotal).toBe(os.totalmem());
    expect(figures.memory).toBeGreaterThan(0);
    expect(figures.memory).toBeLessThanOrEqual(figures.memoryTotal);
    expect(figures.diskFree).toBeGreaterThan(0);
  });

  it('gives no disk figure when the directory is gone, and still the rest', async () => {
    const reader = new HostFigureReader(path.join(os.tmpdir(), 'owl-host-figures-missing', String(process.pid)));
    const figures = await reader.read();
    expect(figures.diskFree).toBeNull();
    expect(figures.memoryTotal).toBe(os.totalmem());
  });
});
