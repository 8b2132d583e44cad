import { rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { listApps, startFixture, waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';
import { freePortRange } from '@owl/test-support/free-port';
import { waitFor } from '@owl/test-support/wait-for';

const INSTANCES = 4;

/** The pid that answers on the port, or null when nothing does. */
function pidOnPort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 10_000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(response.statusCode === 200 ? Number(body) : null));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

function pidsOnPorts(base: number): Promise<Array<number | null>> {
  return Promise.all(Array.from({ length: INSTANCES }, (_, index) => pidOnPort(base + index)));
}

/** Polls every port, round after round, until stopped; each round is the pid per port (null = down). */
function pollPorts(base: number): { stop(): Promise<Array<Array<number | null>>> } {
  const rounds: Array<Array<number | null>> = [];
  let running = true;
  const loop = (async () => {
    while (running) rounds.push(await pidsOnPorts(base));
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return rounds;
    },
  };
}

async function startFleet(home: string, base: number, failMarker: string): Promise<Array<number | null>> {
  expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
  const probe = `"${process.execPath}" "${fixture('probe-instance.mjs')}"`;
  await startFixture(home, 'web', 'http-instance.mjs', [], [
    '--instances', String(INSTANCES), '--env', `BASE_PORT=${base}`, `FAIL_IF_EXISTS=${failMarker}`,
    '--health-exec', probe, '--health-interval', '200ms', '--restart-delay', '0',
  ]);
  return waitFor(async () => {
    const pids = await pidsOnPorts(base);
    return pids.every((pid) => pid !== null) ? pids : undefined;
  }, { timeoutMs: 20_000, message: 'the four instances never all answered on base port + index' });
}

describe('owl reload: one instance at a time', () => {
  it('replaces all four instances with never more than one of them down', async () => {
    const home = tempHome();
    const base = await freePortRange(INSTANCES);
    const before = await startFleet(home, base, path.join(home, 'no-such-marker'));
    expect(new Set(before).size).toBe(INSTANCES);

    const poller = pollPorts(base);
    // A second reload while one runs is refused, so no two instances are ever down together.
    const both = await Promise.all([runOwl(['reload', 'web'], { home }), runOwl(['reload', 'web'], { home })]);
    const rounds = await poller.stop();
    const reload = both.find((result) => result.code === 0) ?? both[0];
    const refused = both.find((result) => result !== reload);
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toBe('owl: a reload of "web" is already running; wait for it to finish\n');
    expect(reload.stderr).toBe('');
    expect(reload.code).toBe(0);
    expect(reload.stdout).toBe('web: reloaded 4 instances one at a time\n');

    const mostDown = Math.max(...rounds.map((round) => round.filter((pid) => pid === null).length));
    expect(rounds.length).toBeGreaterThan(INSTANCES);
    expect(mostDown).toBeLessThanOrEqual(1);
    const after = await pidsOnPorts(base);
    for (let index = 0; index < INSTANCES; index += 1) {
      expect(after[index]).not.toBeNull();
      expect(after[index]).not.toBe(before[index]);
      // The port was served throughout: by the old pid, then (after at most a gap) by the new one.
      const seen = rounds.map((round) => round[index]).filter((pid) => pid !== null);
      expect(new Set(seen)).toEqual(new Set([before[index], after[index]]));
    }
    const rows = await listApps(home);
    expect(rows.map((row) => [row.instance, row.status])).toEqual([[0, 'running'], [1, 'running'], [2, 'running'], [3, 'running']]);
    const described = await runOwl(['describe', 'web'], { home });
    expect(described.stdout).toContain('\n\nHealth\n  #0  ok\n  #1  ok\n  #2  ok\n  #3  ok\n');
    expect(described.stdout).toMatch(/\n  health +exec .*probe-instance\.mjs.*; every 200ms, timeout 2s, stalled after 3 failures, killed after 15s stalled\n/);
  });

  it('stops at a replacement that fails and leaves the old instances serving', async () => {
    const home = tempHome();
    const base = await freePortRange(INSTANCES);
    const marker = path.join(home, 'fail-marker');
    const before = await startFleet(home, base, marker);
    writeFileSync(marker, 'new processes refuse to start\n');

    const reload = await runOwl(['reload', 'web'], { home });
    expect(reload.code).toBe(1);
    expect(reload.stdout).toMatch(/^web: reload stopped: the replacement of #0 did not come up \(.*code 3.*\); #1, #2, #3 untouched, still running their old processes\n$/);
    expect(reload.stderr).toBe('owl: reload of "web" stopped at instance #0; the instances after it were not touched\n');
    const during = await pidsOnPorts(base);
    expect(during.slice(1)).toEqual(before.slice(1));

    // Once the cause is gone, the failed instance comes back through its restart policy.
    rmSync(marker);
    await waitFor(async () => (await pidOnPort(base)) !== null, { timeoutMs: 20_000, message: 'instance #0 never came back' });
    expect((await pidsOnPorts(base)).slice(1)).toEqual(before.slice(1));
  });

  it('says plainly that reloading a single instance is a restart', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startFixture(home, 'solo', 'forever.mjs');
    const first = await waitForApp(home, 'solo', (row) => row.status === 'running');
    const reload = await runOwl(['reload', 'solo'], { home });
    expect(reload.code).toBe(0);
    expect(reload.stdout).toBe('solo: restarted (one instance, so reload is a restart: run 2 or more instances for a reload without downtime)\n');
    const second = await waitForApp(home, 'solo', (row) => row.status === 'running');
    expect(second.pid).not.toBe(first.pid);

    const unknown = await runOwl(['reload', 'nope'], { home });
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toBe('owl: app "nope" not found\n');
  });
});
