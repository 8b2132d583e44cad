import { describe, expect, it } from 'vitest';
import { parseDaemonConfig } from '../../src/config/daemon-config.ts';
import { applyPlaneOverrides } from '../../src/config/plane-overrides.ts';
import { parseOwldArguments } from '../../src/config/owld-arguments.ts';

const parsePlaneOverrides = (argv: string[]) => parseOwldArguments(argv).planes;

describe('daemon config: planes.tcp', () => {
  it('is off when absent or false, all defaults when true', () => {
    expect(parseDaemonConfig({})).toMatchObject({ success: true, data: { tcp: null } });
    expect(parseDaemonConfig({ planes: { tcp: false } })).toMatchObject({ success: true, data: { tcp: null } });
    const parsed = parseDaemonConfig({ planes: { tcp: true }, cluster: { redis: 'redis://127.0.0.1:6379' }, roost: {} });
    expect(parsed.success && parsed.data.tcp).toMatchObject({
      host: '127.0.0.1',
      port: 9700,
      tls: false,
      metrics: 'token',
      maxConnections: 64,
      maxConnectionsPerAddress: 16,
      maxUnauthenticated: 256,
      maxUnauthenticatedPerAddress: 16,
      maxFrameBytes: 1024 * 1024,
      upgradeTimeout: 5_000,
      authFailures: { max: 10, window: 60_000, block: 60_000 },
    });
  });

  it('reads the cluster block with its defaults (none means a single daemon) and names a wrong field', () => {
    expect(parseDaemonConfig({})).toMatchObject({ success: true, data: { cluster: null } });
    const parsed = parseDaemonConfig({ cluster: { redis: 'rediss://u:p@h:6380', labels: { site: 'nyc' } } });
    expect(parsed.success && parsed.data.cluster).toEqual({ redis: 'rediss://u:p@h:6380', name: 'owl', labels: { site: 'nyc' }, address: null, leaseMs: 3_000, renewMs: 1_000, heartbeatMs: 2_000, summaryMs: 5_000 });
    const sentinel = parseDaemonConfig({ cluster: { redis: { sentinels: [{ host: 's1', port: 26379 }], name: 'mymaster' }, leaseMs: 6_000 } });
    expect(sentinel.success && sentinel.data.cluster?.renewMs).toBe(2_000);
    const bad = parseDaemonConfig({ cluster: { redis: 'http://x', leaseMs: 10 } });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    expect(bad.error.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['cluster.leaseMs', 'cluster.redis']);
  });

  it('names the field that is wrong', () => {
    const parsed = parseDaemonConfig({ planes: { tcp: { port: 70_000, tsl: true } } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.error.issues.map((issue) => issue.path.join('.'))).toContain('planes.tcp.port');
  });

  it('lets --tcp and --tls override the config for one run', () => {
    const overrides = parsePlaneOverrides(['--home', '/h', '--tcp', '0.0.0.0:9800', '--tls']);
    expect(overrides).toEqual({ tcp: { host: '0.0.0.0', port: 9800 }, tls: true });
    const merged = applyPlaneOverrides(null, overrides);
    expect(merged).toMatchObject({ host: '0.0.0.0', port: 9800, tls: true });
    expect(applyPlaneOverrides(null, {})).toBeNull();
    expect(applyPlaneOverrides(null, parsePlaneOverrides(['--tcp', '9701']))).toMatchObject({ host: '127.0.0.1', port: 9701, tls: false });
    expect(parsePlaneOverrides(['--tcp', '[::1]:9702']).tcp).toEqual({ host: '::1', port: 9702 });
    expect(() => applyPlaneOverrides(null, { tls: true })).toThrow('--tls needs the TCP plane');
    expect(() => parsePlaneOverrides(['--tls-cert', 'a.pem'])).toThrow('--tls-cert and --tls-key go together');
    expect(() => parsePlaneOverrides(['--tcp', 'nine'])).toThrow('--tcp: expected [host:]port');
  });
});
