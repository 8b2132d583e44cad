import { describe, expect, it } from 'vitest';
import { detectLiveness } from '../../src/cluster/node-liveness.ts';
import { foldSummaries, HISTORY_SPAN_MS, MINUTE_MS } from '../../src/cluster/fleet-fold.ts';
import { acceptCommand, selectTargets, type FleetCommand } from '../../src/cluster/fleet-command.ts';
import { signPayload } from '../../src/cluster/cluster-signing.ts';
import { decodeJoinToken, encodeJoinToken } from '../../src/cluster/join-token.ts';
import type { NodeSummary } from '../../src/cluster/node-record.ts';
import { ClusterConfigSchema, sentinelFromUrl } from '../../src/cluster/cluster-config.ts';
import { peerUrl } from '../../src/cluster/fleet-logs.ts';

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(8);

describe('node liveness', () => {
  it('reports each change once and forgets nodes that left', () => {
    const first = detectLiveness({}, ['a', 'b'], new Set(['a']));
    expect(first.changes).toEqual([{ id: 'a', status: 'online' }, { id: 'b', status: 'offline' }]);
    expect(detectLiveness(first.next, ['a', 'b'], new Set(['a'])).changes).toEqual([]);
    expect(detectLiveness(first.next, ['a', 'b'], new Set(['b']))).toEqual({ next: { a: 'offline', b: 'online' }, changes: [{ id: 'a', status: 'offline' }, { id: 'b', status: 'online' }] });
    expect(detectLiveness(first.next, ['b'], new Set())).toEqual({ next: { b: 'offline' }, changes: [] });
  });
});

function summary(nodeId: string, at: number, cpu: number, running: number): NodeSummary {
  return { nodeId, alias: nodeId.toUpperCase(), at, host: { cpu, memory: 100, memoryTotal: 1000, diskFree: null }, apps: Array.from({ length: running }, (_, index) => ({ name: `app${index}`, instance: 0, status: 'running', cpu: 1, memory: 1, restarts: 0 })) };
}

describe('fleet fold', () => {
  const now = 10 * HISTORY_SPAN_MS;
  const minute = now - (now % MINUTE_MS);

  it('keeps the newest summary per node in the view, even when a buffered older one arrives later', () => {
    const newer = summary('a', minute + 5_000, 10, 1);
    const older = summary('a', minute + 1_000, 90, 3);
    const folded = foldSummaries({ view: new Map(), buckets: new Map(), minutes: [], summaries: [newer, older], now });
    expect(folded.view.get('a')).toEqual(newer);
    const kept = foldSummaries({ view: new Map([['a', newer]]), buckets: new Map(), minutes: [], summaries: [older], now });
    // Nothing to write: the view already holds the newer one.
    expect(kept.view.has('a')).toBe(false);
  });

  it('averages samples per node and minute, adding to what the bucket held', () => {
    const folded = foldSummaries({
      view: new Map(),
      buckets: new Map([[minute, { a: { alias: 'A', cpuSum: 30, memorySum: 100, samples: 1, appsRunning: 1, appsTotal: 1 } }]]),
      minutes: [minute],
      summaries: [summary('a', minute + 10_000, 10, 2), summary('b', minute + 10_000, 50, 0)],
      now,
    });
    expect(folded.buckets.get(minute)).toEqual({
      a: { alias: 'A', cpuSum: 40, memorySum: 200, samples: 2, appsRunning: 2, appsTotal: 2 },
      b: { alias: 'B', cpuSum: 50, memorySum: 100, samples: 1, appsRunning: 0, appsTotal: 0 },
    });
  });

  it('drops minutes older than 24 h and never writes samples that old', () => {
    const old = minute - HISTORY_SPAN_MS - MINUTE_MS;
    const folded = foldSummaries({ view: new Map(), buckets: new Map(), minutes: [old, minute], summaries: [summary('a', old + 1, 1, 0)], now });
    expect(folded.dropMinutes).toEqual([old]);
    expect(folded.buckets.size).toBe(0);
  });
});

function entry(payload: unknown, signingKey: Uint8Array = key): string[] {
  const { body, sig } = signPayload(signingKey, payload);
  return ['body', body, 'sig', sig];
}

describe('fleet command acceptance', () => {
  const command: FleetCommand = { id: 'c1', nodeId: 'me', action: 'restart', app: 'web', issuedBy: { node: 'x', subject: 'local' }, issuedAt: 0, expiresAt: 1_000 };

  it('runs a signed command addressed to this node once, before it expires', () => {
    expect(acceptCommand(entry(command), key, 'me', new Set(), 999)).toEqual({ decision: 'run', command });
    expect(acceptCommand(entry(command), key, 'me', new Set(['c1']), 999)).toEqual({ decision: 'done_before', command });
    expect(acceptCommand(entry(command), key, 'me', new Set(), 1_000)).toEqual({ decision: 'expired', command });
    // Handled before: never reported as expired again after a restart.
    expect(acceptCommand(entry(command), key, 'me', new Set(['c1']), 5_000)).toEqual({ decision: 'done_before', command });
  });

  it('refuses what the cluster key did not sign, or signed for another node', () => {
    expect(acceptCommand(['body', JSON.stringify(command)], key, 'me', new Set(), 0)).toEqual({ decision: 'forged', reason: 'no signature' });
    expect(acceptCommand(entry(command, otherKey), key, 'me', new Set(), 0)).toEqual({ decision: 'forged', reason: 'signature does not match the cluster key' });
    const { body, sig } = signPayload(key, command);
    expect(acceptCommand(['body', body.replace('restart', 'stop'), 'sig', sig], key, 'me', new Set(), 0).decision).toBe('forged');
    expect(acceptCommand(entry({ hello: 1 }), key, 'me', new Set(), 0)).toEqual({ decision: 'forged', reason: 'signed, but not a fleet command' });
    expect(acceptCommand(entry(command), key, 'other', new Set(), 0)).toEqual({ decision: 'forged', reason: 'addressed to node me' });
  });
});

describe('target selection', () => {
  const nodes: Array<{ id: string; alias: string; labels: Record<string, string> }> = [
    { id: 'id1', alias: 'kiosk-1', labels: { site: 'nyc', role: 'kiosk' } },
    { id: 'id2', alias: 'kiosk-2', labels: { site: 'sfo', role: 'kiosk' } },
    { id: 'id3', alias: 'render', labels: { site: 'nyc' } },
  ];
  it('selects by id or alias, by every label, or all', () => {
    expect(selectTargets(nodes, { nodes: ['kiosk-1', 'id3'], all: false }).targets.map((node) => node.id)).toEqual(['id1', 'id3']);
    expect(selectTargets(nodes, { nodes: ['kiosk-1', 'nope'], all: false }).unknown).toEqual(['nope']);
    expect(selectTargets(nodes, { labels: ['site=nyc', 'role=kiosk'], all: false }).targets.map((node) => node.id)).toEqual(['id1']);
    expect(selectTargets(nodes, { labels: ['site=nyc'], all: false }).targets.map((node) => node.id)).toEqual(['id1', 'id3']);
    expect(selectTargets(nodes, { all: true }).targets).toHaveLength(3);
    expect(selectTargets(nodes, { all: false }).targets).toEqual([]);
  });
});

describe('join token', () => {
  it('round-trips and names what is wrong with a bad one', () => {
    const token = encodeJoinToken({ redis: 'redis://u:p@h:6379', name: 'prod', key });
    expect(token).toMatch(/^owlj1\.[A-Za-z0-9_-]+$/);
    expect(decodeJoinToken(token)).toEqual({ redis: 'redis://u:p@h:6379', name: 'prod', key });
    expect(() => decodeJoinToken('abc')).toThrow('token: not an owl join token (expected it to start with owlj1.)');
    expect(() => decodeJoinToken('owlj1.!!!')).toThrow('not an owl join token');
  });
});

describe('Sentinel URLs and peer URLs', () => {
  it('reads redis+sentinel://[user:password@]host:port[,host:port]/master into ioredis Sentinel settings, and refuses malformed ones', () => {
    expect(sentinelFromUrl('redis+sentinel://app:s%40cret@s1:26380,s2/mymaster')).toEqual({ sentinels: [{ host: 's1', port: 26380 }, { host: 's2', port: 26379 }], name: 'mymaster', username: 'app', password: 's@cret' });
    expect(sentinelFromUrl('redis+sentinel://:pw@10.0.0.1:5000/m')).toEqual({ sentinels: [{ host: '10.0.0.1', port: 5000 }], name: 'm', password: 'pw' });
    for (const bad of ['redis://h:6379', 'redis+sentinel://h:26379', 'redis+sentinel://h:99999/m', 'redis+sentinel://h:x/m', 'redis+sentinel://h,,k/m']) expect(sentinelFromUrl(bad), bad).toBeNull();
    expect(ClusterConfigSchema.safeParse({ redis: 'redis+sentinel://s1:26379/m' }).success).toBe(true);
    expect(ClusterConfigSchema.safeParse({ redis: 'redis+sentinel://s1:26379' }).error?.issues[0]?.message).toBe('expected a redis:// or rediss:// URL, or redis+sentinel://host:port[,host:port]/master');
  });

  it('reaches a peer over wss when it published a certificate fingerprint, ws otherwise, or at the URL it gave', () => {
    expect(peerUrl('10.0.0.7:9700', null)).toBe('ws://10.0.0.7:9700');
    expect(peerUrl('10.0.0.7:9700', 'AB:CD')).toBe('wss://10.0.0.7:9700');
    expect(peerUrl('wss://owl.example:443', null)).toBe('wss://owl.example:443');
  });
});
