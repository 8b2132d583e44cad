import { describe, expect, it } from 'vitest';
import type { AppRow, HostMetrics } from '@owl/rpc/contract';
import { formatAppRows, formatHeader, instanceLabel, toggleAction } from '../src/dashboard-view.ts';

const row = (overrides: Partial<AppRow>): AppRow => ({
  name: 'web',
  instance: 0,
  status: 'running',
  pid: 4242,
  restarts: 2,
  uptimeMs: 125_000,
  cpu: 12.345,
  memory: 50 * 1024 * 1024,
  lastExit: null,
  reason: null,
  ...overrides,
});

describe('dashboard view', () => {
  it('renders one row per instance, with dashes for what a stopped app lacks', () => {
    expect(formatAppRows([row({}), row({ instance: 1, status: 'stopped', pid: null, cpu: null, memory: null, restarts: 0 })])).toEqual([
      ['web', 'running', '4242', '12.3%', '50.0mb', '2', '2m'],
      ['web#1', 'stopped', '-', '-', '-', '0', '-'],
    ]);
    expect(instanceLabel({ name: 'job', instance: 3 })).toBe('job#3');
  });

  it('sums up the host and the apps in the header, before the first host sample too', () => {
    const host = { cpu: 37.6, cores: 4, memory: { total: 8 * 1024 ** 3, used: 2 * 1024 ** 3, available: 6 * 1024 ** 3 } } as HostMetrics;
    const rows = [row({}), row({ name: 'job', status: 'launch_failed', pid: null })];
    expect(formatHeader('/srv/owl', host, rows)).toBe('owl dash  /srv/owl   host cpu 38% of 4, mem 2.00gb / 8.00gb   apps 1/2 running');
    expect(formatHeader('prod', null, [])).toBe('owl dash  prod   host cpu -, mem -   apps 0/0 running');
  });

  it('stops what runs or is about to, and starts everything else', () => {
    expect(['queued', 'launching', 'running', 'stalled'].map((status) => toggleAction(status as AppRow['status']))).toEqual(['apps.stop', 'apps.stop', 'apps.stop', 'apps.stop']);
    expect(['inactive', 'stopping', 'stopped', 'killed', 'launch_failed'].map((status) => toggleAction(status as AppRow['status']))).toEqual(['apps.start', 'apps.start', 'apps.start', 'apps.start', 'apps.start']);
  });
});
