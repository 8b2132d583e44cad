import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { runWindowsOwl, stopWineServer, WINE, wineEnv, wineUnavailableReason } from '../helpers/wine.ts';

const unavailable = wineUnavailableReason();
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);

const WIN_HOME = 'C:\\ProgramData\\owl';

interface ServiceStatus {
  installed: boolean;
  state: string | null;
  pid: number | null;
}

describe.skipIf(unavailable !== null)('owl service under Wine (Windows service manager)', () => {
  it('installs an auto-start service; the daemon is restarted after a kill and re-adopts the app; stop and uninstall leave the app running', async () => {
    const wine = await wineEnv();
    onTestFinished(() => {
      // Ends every process of this prefix (the app the test leaves running included), by prefix.
      stopWineServer(wine);
      rmSync(wine.prefix, { recursive: true, force: true });
    });
    const owl = (...args: string[]) => runWindowsOwl(wine, args);
    const atHome = (...args: string[]) => owl('--home', WIN_HOME, ...args);
    const home = path.join(wine.prefix, 'drive_c', 'ProgramData', 'owl');
    const status = async () => JSON.parse((await owl('service', 'status', '--json')).output) as ServiceStatus;
    const daemonPid = async () => {
      const answer = await atHome('daemon', 'status', '--json');
      return answer.code === 0 ? (JSON.parse(answer.output) as { pid: number }).pid : null;
    };

    // A daemon already running for the service's home (started by hand, or left by a service
    // process that died) is adopted by the service, not doubled.
    const byHand = await atHome('daemon', 'start');
    expect(byHand.code, byHand.output).toBe(0);
    const handPid = await daemonPid();

    const installed = await owl('service', 'install');
    expect(installed.code).toBe(0);
    const lines = installed.output.trimEnd().split(/\r?\n/);
    expect(lines[0]).toMatch(/^created service owl \(auto start, LocalSystem\): Z:\\\S+\\node\.exe --max-semi-space-size=1 --optimize-for-size Z:\\\S+\\dist\\owl\.mjs --home C:\\ProgramData\\owl service run$/);
    expect(lines[1]).toBe('recovery: restart after 5 s, 10 s, 30 s; failure count reset after 24 h');
    expect(lines.at(-1)).toMatch(/^started service owl \(pid \d+\)$/);
    const running = await status();
    expect(running).toMatchObject({ installed: true, state: 'RUNNING' });
    const registry = execFileSync(WINE, ['reg', 'query', 'HKLM\\System\\CurrentControlSet\\Services\\owl'], { env: wine.env, encoding: 'utf8' });
    expect(registry).toMatch(/Start\s+REG_DWORD\s+0x2\b/);
    expect(registry).toMatch(/ObjectName\s+REG_SZ\s+LocalSystem/);

    // The daemon answers on the named pipe of %ProgramData%\owl.
    const firstDaemon = await waitFor(daemonPid, { timeoutMs: 30_000, message: 'the service daemon never answered' });
    expect(firstDaemon).toBe(handPid);
    expect(readFileSync(path.join(home, 'logs', 'service.log'), 'utf8')).toContain(`daemon already running (pid ${handPid}): watching it`);
    const app = await atHome('start', '--name', 'echoer', '--', 'cmd.exe', '/c', 'for /L %i in (1,1,100000000) do @echo line %i');
    expect(app.code).toBe(0);
    const appPid = await waitFor(async () => {
      const rows = JSON.parse((await atHome('ls', '--json')).output) as Array<{ status: string; pid: number | null }>;
      return rows[0]?.status === 'running' ? rows[0].pid : null;
    }, { timeoutMs: 30_000 });

    // Killing the daemon: the service brings a new one, which adopts the app (no second copy).
    execFileSync(WINE, ['taskkill', '/f', '/pid', String(firstDaemon)], { env: wine.env, stdio: 'ignore' });
    const secondDaemon = await waitFor(async () => {
      const pid = await daemonPid();
      return pid !== null && pid !== firstDaemon ? pid : null;
    }, { timeoutMs: 60_000, message: 'no new daemon after the kill' });
    expect(secondDaemon).not.toBe(firstDaemon);
    const adopted = JSON.parse((await atHome('ls', '--json')).output) as Array<{ name: string; status: string; pid: number; restarts: number }>;
    expect(adopted).toMatchObject([{ name: 'echoer', status: 'running', pid: appPid, restarts: 0 }]);
    expect(await status()).toMatchObject({ state: 'RUNNING', pid: running.pid });
    expect(readFileSync(path.join(home, 'logs', 'service.log'), 'utf8')).toContain(`daemon (pid ${firstDaemon}) exited: starting a new one in 1000 ms`);

    // A service stop ends the daemon only: the app keeps writing.
    const stopped = await owl('service', 'stop');
    expect(stopped).toEqual({ code: 0, output: 'stopped service owl (the daemon only; apps keep running)\n' });
    expect(await status()).toMatchObject({ state: 'STOPPED' });
    expect((await atHome('ping')).code).toBe(3);
    const outLog = path.join(home, 'logs', 'echoer', 'out.log');
    const sizeAtStop = statSync(outLog).size;
    await waitFor(() => statSync(outLog).size > sizeAtStop, { timeoutMs: 30_000, message: 'the app stopped writing after the service stop' });

    // Installing again is idempotent and starts the service; its daemon adopts the same app.
    const again = await owl('service', 'install');
    expect(again.output).toMatch(/^service owl already installed; configuration re-applied \(a running service uses it from its next start\): /);
    await waitFor(daemonPid, { timeoutMs: 30_000 });
    const readopted = JSON.parse((await atHome('ls', '--json')).output) as Array<{ status: string; pid: number; restarts: number }>;
    expect(readopted).toMatchObject([{ status: 'running', pid: appPid, restarts: 0 }]);

    const removed = await owl('service', 'uninstall');
    expect(removed).toEqual({
      code: 0,
      output: "stopped service owl (the daemon only; apps keep running)\nremoved service owl\nkept the daemon's OWL_HOME (state and logs); apps keep running\n",
    });
    expect(await status()).toMatchObject({ installed: false, state: null });
    const sizeAtUninstall = statSync(outLog).size;
    await waitFor(() => statSync(outLog).size > sizeAtUninstall, { timeoutMs: 30_000, message: 'the app stopped writing after uninstall' });
    expect((await owl('service', 'stop')).output).toBe('owl: no service owl is installed; run `owl service install` first\n');

    // The service process itself dies: daemon and app live on. (Windows' failure actions then
    // restart it, and the new one adopts the daemon; Wine's service manager does not even notice
    // the death, so that part needs a real Windows machine.)
    expect((await owl('service', 'install')).code).toBe(0);
    const host = await status();
    const daemonUnderHost = await waitFor(daemonPid, { timeoutMs: 30_000 });
    const killed = execFileSync(WINE, ['taskkill.exe', '/f', '/pid', String(host.pid)], { env: wine.env, encoding: 'utf8' });
    expect(killed).toContain(`Process with PID ${host.pid} was forcibly terminated`);
    const sizeAtHostKill = statSync(outLog).size;
    await waitFor(() => statSync(outLog).size > sizeAtHostKill, { timeoutMs: 30_000, message: 'the app stopped writing after the service process died' });
    expect(await daemonPid()).toBe(daemonUnderHost);
    expect(JSON.parse((await atHome('ls', '--json')).output)).toMatchObject([{ status: 'running', pid: appPid, restarts: 0 }]);
  }, 300_000);
});
