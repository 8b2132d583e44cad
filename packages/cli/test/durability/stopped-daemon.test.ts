import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isAlive, readPid, runOwl, tempHome, type OwlResult } from '@owl/test-support/owl';
import { waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';

/** The call must come back by itself; 30 s is a bound for a hung CLI, not a timing claim. */
async function bounded(call: Promise<OwlResult>): Promise<OwlResult> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the CLI is still waiting after 30 s')), 30_000);
  });
  try {
    return await Promise.race([call, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a daemon that accepts but does not answer', () => {
  it('SIGSTOPped: every call gives exit 3 naming its pid, owl daemon start too; SIGCONT and all is well', { timeout: 120_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const pid = readPid(path.join(home, 'daemon.pid'));
    process.kill(pid, 'SIGSTOP');
    onTestFinished(() => {
      if (isAlive(pid)) process.kill(pid, 'SIGCONT');
    });
    const message = `owl daemon (pid ${pid}) of ${home} is not answering`;
    const ping = await bounded(runOwl(['ping'], { home }));
    expect(ping.code).toBe(3);
    expect(ping.stderr).toBe(`owl: ${message}: no answer within 5000 ms; it is stopped or hung (raise the wait with --timeout)\n`);
    for (const args of [['ls', '--timeout', '1s'], ['stop', 'all', '--timeout', '500ms'], ['daemon', 'status', '--timeout', '1s'], ['daemon', 'start', '--timeout', '1s'], ['daemon', 'stop', '--timeout', '1s']]) {
      const result = await bounded(runOwl(args, { home }));
      expect(result.code, args.join(' ')).toBe(3);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
    // Nothing was started beside it, and it still holds its lock.
    expect(readPid(path.join(home, 'daemon.pid'))).toBe(pid);
    const bad = await runOwl(['ls', '--timeout', 'soon'], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout: expected a duration between 1ms and 1h like "5s" or "500ms", received "soon"');
    process.kill(pid, 'SIGCONT');
    expect((await runOwl(['ping'], { home })).code).toBe(0);
  });

  it('the deadline is for silence, not for work: a stop that takes longer than --timeout still succeeds', { timeout: 60_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const started = await runOwl(['start', '--name', 'stubborn', '--stop-timeout', '2500ms', '--', process.execPath, fixture('ignores-sigterm.mjs')], { home });
    expect(started.code, started.stderr).toBe(0);
    const row = await waitForApp(home, 'stubborn', (candidate) => candidate.status === 'running');
    const stop = await runOwl(['stop', 'stubborn', '--timeout', '500ms'], { home });
    expect(stop.code, stop.stderr).toBe(0);
    expect(isAlive(row.pid as number)).toBe(false);
  });
});
