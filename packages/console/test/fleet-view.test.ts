import { describe, expect, it } from 'vitest';
import type { ClusterNode, ClusterStatus, FleetApp } from '@owl/rpc/contract';
import { appsOfNode, formatFleetAppRows, formatFleetHeader, formatNodeRows, sortNodes } from '../src/fleet-view.ts';

const GiB = 1024 ** 3;
const node = (overrides: Partial<ClusterNode>): ClusterNode => ({
  id: 'a1',
  alias: 'n1',
  labels: {},
  address: '10.0.0.1:7400',
  version: '0.1.0',
  status: 'online',
  leader: false,
  uptimeMs: 3_600_000,
  apps: {},
  host: { cpu: 12.4, memory: 2 * GiB, memoryTotal: 8 * GiB, diskFree: 50 * GiB },
  lastSeen: '2026-12-01T10:00:00.000Z',
  ...overrides,
});
const app = (overrides: Partial<FleetApp>): FleetApp => ({ node: 'n1', nodeId: 'a1', name: 'api', instance: 0, status: 'running', cpu: 1.25, memory: 30 * 1024 * 1024, restarts: 0, ...overrides });

describe('fleet dashboard view', () => {
  it('lists the nodes by alias after an "all" row, marking the leader and what an offline node lacks', () => {
    const nodes = sortNodes([
      node({ id: 'c3', alias: 'n3', status: 'offline', host: null, uptimeMs: 90_000, apps: { running: 1 } }),
      node({ alias: 'n1', leader: true, labels: { site: 'nyc', role: 'kiosk' }, apps: { running: 2, stopped: 1 } }),
    ]);
    const apps = [app({}), app({ name: 'web' }), app({ name: 'job', status: 'stopped' }), app({ node: 'n3', nodeId: 'c3' })];
    expect(formatNodeRows(nodes, apps)).toEqual([
      ['all', '1/2 online', '3/4', '', '', '', '', ''],
      ['n1', 'online leader', '2/3', '12%', '2.00gb / 8.00gb', '50.00gb', '1h', 'site=nyc,role=kiosk'],
      ['n3', 'offline', '1/1', '-', '-', '-', '-', ''],
    ]);
  });

  it('shows the apps of the chosen node, or of all sorted by node, name and instance', () => {
    const apps = [app({ node: 'n2', name: 'web' }), app({ name: 'web', instance: 1 }), app({ name: 'web' }), app({ name: 'api', cpu: null, memory: null, restarts: 3 })];
    expect(appsOfNode(apps, 'all').map((row) => `${row.node}/${row.name}#${row.instance}`)).toEqual(['n1/api#0', 'n1/web#0', 'n1/web#1', 'n2/web#0']);
    expect(appsOfNode(apps, 'n2').map((row) => row.name)).toEqual(['web']);
    expect(appsOfNode(apps, 'n9')).toEqual([]);
    expect(formatFleetAppRows(appsOfNode(apps, 'n1'))).toEqual([
      ['n1', 'api', 'running', '-', '-', '3'],
      ['n1', 'web', 'running', '1.3%', '30.0mb', '0'],
      ['n1', 'web#1', 'running', '1.3%', '30.0mb', '0'],
    ]);
  });

  it('sums up the cluster in the header, with or without a leader', () => {
    const status: ClusterStatus = {
      name: 'prod',
      nodeId: 'b2',
      alias: 'n2',
      redis: 'up',
      leader: { id: 'a1', alias: 'n1', term: 7 },
      self: { leader: false, term: null, highestTerm: 7, bufferedSummaries: 0 },
      nodes: { online: 2, offline: 1 },
      apps: { total: 5, running: 4 },
    };
    expect(formatFleetHeader(status)).toBe('owl dash --fleet  prod via n2   leader n1 (term 7)   nodes 2 online, 1 offline   apps 4/5 running   redis up');
    expect(formatFleetHeader({ ...status, redis: 'down', leader: null })).toContain('   no leader   ');
  });
});
