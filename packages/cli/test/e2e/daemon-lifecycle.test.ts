import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { existsSync } from 'node:fs';
import { waitFor } from '@owl/test-support/wait-for';
import { OWL_BIN, isAlive, owlJson, readPid, runOwl, tempHome } from '@owl/test-support/owl';

describe('owl daemon lifecycle', () => {
  it('starts, reports status, refuses a second start and stops', async () => {
    const home = tempHome();
    const started = await runOwl(['daemon', 'start'], { home });
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^owl daemon started \(pid \d+, home /);
    const pid = readPid(path.join(home, 'daemon.pid'));
    expect(isAlive(pid)).toBe(true);

    const status = await owlJson<{ pid: number; home: string; planes: Array<{ kind: string; address: string }> }>(['daemon', 'status'], home);
    expect(status.pid).toBe(pid);
    expect(status.home).toBe(home);
    expect(status.planes).toEqual([{ kind: 'local', address: path.join(home, 'owl.sock') }]);

    const second = await runOwl(['daemon', 'start'], { home });
    // 6: already running (the exit code table of both binaries, @owl/rpc).
    expect(second.code).toBe(6);
    expect(second.stderr).toBe(`owl: owl daemon is already running (pid ${pid}, home ${home})\n`);
    expect(readPid(path.join(home, 'daemon.pid'))).toBe(pid);

    const stopped = await runOwl(['daemon', 'stop'], { home });
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toBe(`owl daemon stopped (pid ${pid}); apps keep running\n`);
    expect(isAlive(pid)).toBe(false);

    const unreachable = await runOwl(['ping'], { home });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('cannot reach the daemon of');
  });

  it('pid file holds the pid alone on its first line and the socket is 0600', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const [first] = (await import('node:fs')).readFileSync(path.join(home, 'daemon.pid'), 'utf8').split('\n');
    expect(first).toMatch(/^\d+$/);
    expect(statSync(path.join(home, 'owl.sock')).mode & 0o777).toBe(0o600);
  });

  it('starts again after the daemon was killed with -9 (stale lock reclaimed)', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const pid = readPid(path.join(home, 'daemon.pid'));
    process.kill(pid, 'SIGKILL');
    await new Promise<void>((resolve) => {
      const poll = (): void => (isAlive(pid) ? void setTimeout(poll, 10) : resolve());
      poll();
    });
    const again = await runOwl(['daemon', 'start'], { home });
    expect(again.code).toBe(0);
    const newPid = readPid(path.join(home, 'daemon.pid'));
    expect(newPid).not.toBe(pid);
    expect((await owlJson<{ pid: number }>(['ping'], home)).pid).toBe(newPid);
  });

  it('a stale pid file whose pid now belongs to another process does not block start', async () => {
    const home = tempHome();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    onTestFinished(() => {
      other.kill('SIGKILL');
    });
    await new Promise((resolve) => other.once('spawn', resolve));
    // The recorded start time does not match the live process holding that pid.
    writeFileSync(path.join(home, 'daemon.pid'), `${other.pid}\n12345\n`);
    const started = await runOwl(['daemon', 'start'], { home });
    expect(started.code).toBe(0);
    expect(readPid(path.join(home, 'daemon.pid'))).not.toBe(other.pid);
    expect(isAlive(other.pid as number)).toBe(true);
  });

  it('unknown commands and options are usage errors (exit 2)', async () => {
    const home = tempHome();
    const unknown = await runOwl(['frobnicate'], { home });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const badOption = await runOwl(['ls', '--bogus'], { home });
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("unknown option '--bogus'");
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`owl daemon run stays in the foreground and shuts down cleanly on ${signal}`, async () => {
      const home = tempHome();
      const daemon = spawn(process.execPath, [OWL_BIN, '--home', home, 'daemon', 'run'], { stdio: ['ignore', 'ignore', 'pipe'] });
      onTestFinished(() => {
        if (daemon.exitCode === null) daemon.kill('SIGKILL');
      });
      const exited = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
      await waitFor(async () => (await runOwl(['ping'], { home })).code === 0);
      daemon.kill(signal);
      expect(await exited).toBe(0);
      expect(existsSync(path.join(home, 'daemon.pid'))).toBe(false);
      expect(existsSync(path.join(home, 'owl.sock'))).toBe(false);
    });
  }
});
