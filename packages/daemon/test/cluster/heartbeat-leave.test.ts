import os from 'node:os';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AppRow } from '@owl/rpc';
import { EventBus } from '../../src/events/event-bus.ts';
import type { DaemonLog } from '../../src/daemon-log/daemon-log.ts';
import { resolveClusterConfig, ClusterConfigSchema } from '../../src/cluster/cluster-config.ts';
import { clusterKeys } from '../../src/cluster/cluster-keys.ts';
import { HeartbeatLoop } from '../../src/cluster/heartbeat-loop.ts';
import { HostFigureReader } from '../../src/cluster/host-figures.ts';
import { openRedisLinks } from '../../src/cluster/redis-connection.ts';
import { startRedisServer } from '@owl/test-support/redis-server';
import { waitFor } from '@owl/test-support/wait-for';

const silentLog: DaemonLog = { info: () => undefined, warn: () => undefined, error: () => undefined, close: async () => undefined };

describe('heartbeat and leave (real redis-server)', () => {
  it('a leave during a beat waits for it: the beat cannot write the node back into the registry', async () => {
    const redis = await startRedisServer();
    const client = redis.client();
    const config = resolveClusterConfig(ClusterConfigSchema.parse({ redis: redis.url, name: 'leave', heartbeatMs: 200 }));
    const keys = clusterKeys('leave');
    const links = await openRedisLinks(config, new EventBus(), silentLog);
    onTestFinished(() => links.close());
    await waitFor(() => links.isUp());

    // The second beat is held inside listApps (before it writes) until the test lets it go.
    let calls = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let heldReached = false;
    const heartbeat = new HeartbeatLoop({
      nodeId: 'node-a',
      alias: 'a',
      version: '0.0.0',
      startedAt: Date.now(),
      config,
      keys,
      clusterKey: new Uint8Array(32),
      links,
      host: new HostFigureReader(os.tmpdir()),
      listApps: async (): Promise<AppRow[]> => {
        calls += 1;
        if (calls === 2) {
          heldReached = true;
          await held;
        }
        return [];
      },
      planeFingerprint: () => null,
      log: silentLog,
      afterBeat: async () => undefined,
    });
    heartbeat.start();
    onTestFinished(() => heartbeat.stop());
    await waitFor(async () => (await client.zscore(keys.nodes, 'node-a')) !== null, { message: 'the first beat never registered the node' });
    await waitFor(() => heldReached, { message: 'the second beat never started' });

    const leaving = heartbeat.forget();
    release();
    await leaving;

    expect(await client.zscore(keys.nodes, 'node-a')).toBeNull();
    expect(await client.hget(keys.members, 'node-a')).toBeNull();
    expect(await client.exists(keys.node('node-a'))).toBe(0);
    // No later beat brings it back either.
    expect(calls).toBe(2);
  });
});
