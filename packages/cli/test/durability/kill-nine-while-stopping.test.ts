import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { startFixture, waitForApp } from '@owl/test-support/apps';
import { isAlive, readPid, runOwl, tempHome } from '@owl/test-support/owl';

describe('a daemon killed while a stop waits out a long stop timeout', () => {
  it('comes back answering at once and finishes the stop in the background', { timeout: 120_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const firstDaemon = readPid(path.join(home, 'daemon.pid'));
    const marker = path.join(home, 'stubborn.jsonl');
    // Ignores SIGTERM: its stop waits out the whole 10 minutes before the kill.
    await startFixture(home, 'stubborn', 'ignores-sigterm.mjs', [], ['--stop-timeout', '10m', '--env', `OWL_FIXTURE_MARKER=${marker}`]);
    await waitForMarker(marker, 'ready');
    const appPid = (await waitForApp(home, 'stubborn', (row) => row.status === 'running')).pid as number;
    onTestFinished(() => {
      if (isAlive(appPid)) process.kill(appPid, 'SIGKILL');
    });
    const stopping = runOwl(['stop', 'stubborn'], { home });
    await waitForMarker(marker, 'signal');
    process.kill(firstDaemon, 'SIGKILL');
    expect((await stopping).code).not.toBe(0);
    await waitFor(() => !isAlive(firstDaemon));

    // The new daemon adopts the process, finishes the interrupted stop, and answers meanwhile.
    const started = await runOwl(['daemon', 'start'], { home });
    expect(started.code, started.stderr).toBe(0);
    const row = await waitForApp(home, 'stubborn', (candidate) => candidate.status === 'stopping');
    expect(row.pid).toBe(appPid);
    expect(isAlive(appPid)).toBe(true);

    // The process ends (here: killed from outside); the stop settles as the operator asked.
    process.kill(appPid, 'SIGKILL');
    await waitForApp(home, 'stubborn', (candidate) => candidate.status === 'stopped' && candidate.pid === null, 30_000);
  });
});
