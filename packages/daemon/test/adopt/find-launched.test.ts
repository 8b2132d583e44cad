import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findLaunchedProcesses, markerIn } from '../../src/adopt/find-launched.ts';
import { formatLaunchMarker, homeIdOf, lazyHomeId, LAUNCH_ENV, newLaunchId, parseLaunchMarker } from '../../src/adopt/launch-marker.ts';
import { waitForMarker } from '@owl/test-support/wait-for';
import { FIXTURES } from '@owl/test-support/fixtures';

describe('launch marker', () => {
  it('formats and parses home id, app, instance and launch id; refuses anything else', () => {
    const marker = { homeId: homeIdOf('/var/lib/owl'), app: 'web.api-2', instance: 3, launchId: newLaunchId() };
    expect(parseLaunchMarker(formatLaunchMarker(marker))).toEqual(marker);
    expect(homeIdOf('/var/lib/owl')).toMatch(/^[0-9a-f]{16}$/);
    expect(homeIdOf('/var/lib/owl')).not.toBe(homeIdOf('/var/lib/owl2'));
    for (const bad of ['', 'x', `${marker.homeId}:web:0`, `${marker.homeId}:we:b:0:${marker.launchId}`, `${marker.homeId}:web:-1:${marker.launchId}`, `${marker.homeId.toUpperCase()}:web:0:${marker.launchId}`]) {
      expect(parseLaunchMarker(bad), bad).toBeNull();
    }
  });

  it('asks for the home id (which hashes, loading node:crypto) only for an environment that holds a marker', () => {
    let asked = 0;
    const homeId = (): string => {
      asked += 1;
      return homeIdOf('/var/lib/owl');
    };
    expect(markerIn('PATH=/usr/bin\0HOME=/root\0', '\0', homeId)).toBeNull();
    expect(asked).toBe(0);
    const marker = { homeId: homeIdOf('/var/lib/owl'), app: 'web', instance: 0, launchId: newLaunchId() };
    expect(markerIn(`PATH=/usr/bin\0${LAUNCH_ENV}=${formatLaunchMarker(marker)}\0`, '\0', homeId)).toEqual(marker);
    expect(asked).toBe(1);
    // Another home's marker is asked about too, and refused.
    expect(markerIn(`${LAUNCH_ENV}=${formatLaunchMarker({ ...marker, homeId: homeIdOf('/srv/owl') })}`, '\0', homeId)).toBeNull();
    expect(asked).toBe(2);
  });

  it('the lazy home id is homeIdOf of the same home', () => {
    const id = lazyHomeId('/var/lib/owl');
    expect(id()).toBe(homeIdOf('/var/lib/owl'));
    expect(id()).toBe(id());
  });
});

describe.skipIf(process.platform !== 'linux')('findLaunchedProcesses (Linux, /proc/<pid>/environ)', () => {
  it('finds the root of each marked tree of this home only, with its start time', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-marked-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const homeId = homeIdOf(directory);
    const launchId = newLaunchId();
    const start = (marker: string, file: string) => {
      const child = spawn(process.execPath, [path.join(FIXTURES, 'spawns-grandchild.mjs')], {
        env: { ...process.env, [LAUNCH_ENV]: marker, OWL_FIXTURE_MARKER: file },
        stdio: 'ignore',
        detached: true,
      });
      onTestFinished(() => {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // Already gone.
        }
      });
      return child.pid as number;
    };
    const ours = start(formatLaunchMarker({ homeId, app: 'web', instance: 1, launchId }), path.join(directory, 'ours.jsonl'));
    const foreign = start(formatLaunchMarker({ homeId: homeIdOf(`${directory}-other`), app: 'web', instance: 1, launchId }), path.join(directory, 'foreign.jsonl'));
    await waitForMarker(path.join(directory, 'ours.jsonl'), 'ready');
    await waitForMarker(path.join(directory, 'foreign.jsonl'), 'ready');
    const found = await findLaunchedProcesses(() => homeId);
    // The child and grandchild inherit the marker; only the tree's root is the launch.
    expect(found).toEqual([{ homeId, app: 'web', instance: 1, launchId, pid: ours, ppid: process.pid, startTime: expect.stringMatching(/^\d+@/) }]);
    expect(found.some((entry) => entry.pid === foreign)).toBe(false);
  });
});
