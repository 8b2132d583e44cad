import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { startWineDaemon, toWinePath, windowsNode, wineUnavailableReason } from '../helpers/wine.ts';

const unavailable = wineUnavailableReason();
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);

const REPORT = path.join(import.meta.dirname, 'fixtures', 'session-report.cjs');
// Arguments that only survive a correct CreateProcess command line.
const TRICKY_ARGS = ['plain', 'two words', 'say "hi"', 'C:\\dir with space\\', 'a\\\\"b c', ''];

describe.skipIf(unavailable !== null)('windows.session "user" under Wine', () => {
  it('launches through CreateProcessAsUser with output in the log files; adopted, exit code seen, stopped like any app', async () => {
    const daemon = await startWineDaemon();
    onTestFinished(() => daemon.dispose());
    const control = path.join(daemon.home, 'control.txt');
    writeFileSync(control, '');
    const start = (name: string, visibility: string) =>
      daemon.owl('start', '--name', name, '--session', 'user', '--visibility', visibility, '--restart-policy', 'never', '--', toWinePath(windowsNode()), toWinePath(REPORT), toWinePath(control), ...TRICKY_ARGS);

    expect((await start('gui', 'minimized')).code).toBe(0);
    const outLog = path.join(daemon.home, 'logs', 'gui', 'out.log');
    const report = await waitFor(() => {
      try {
        return JSON.parse(readFileSync(outLog, 'utf8').split('\n')[0] ?? '') as { argv: string[]; app: string };
      } catch {
        return undefined;
      }
    }, { timeoutMs: 30_000, message: 'the user-session app never wrote its report' });
    expect(report).toMatchObject({ argv: TRICKY_ARGS, app: 'gui' });
    expect(readFileSync(path.join(daemon.home, 'logs', 'gui', 'err.log'), 'utf8')).toBe('stderr reaches err.log\n');
    const [row] = await daemon.list();
    expect(row).toMatchObject({ name: 'gui', status: 'running', restarts: 0 });
    // Launched with the console user's token into their session (Wine answers session 1).
    const events = JSON.parse((await daemon.owl('events', '--app', 'gui', '--json')).output) as Array<{ type: string; data: { to?: string; pid?: number; session?: number } }>;
    expect(events.find((event) => event.type === 'state' && event.data.to === 'launching')?.data).toMatchObject({ pid: row?.pid, session: 1 });

    // A new daemon adopts it like any app: same pid, no second copy.
    expect((await daemon.owl('daemon', 'stop')).code).toBe(0);
    expect((await daemon.owl('daemon', 'start')).code).toBe(0);
    expect(await daemon.list()).toMatchObject([{ name: 'gui', status: 'running', pid: row?.pid, restarts: 0 }]);
    expect((await daemon.owl('stop', 'gui')).output).toBe('stopped: gui\n');
    expect(await daemon.list()).toMatchObject([{ name: 'gui', status: 'stopped', pid: null }]);

    // Launched by this daemon, its exit code is read from the process handle.
    expect((await start('hidden', 'hidden')).code).toBe(0);
    await waitFor(async () => (await daemon.list()).find((entry) => entry.name === 'hidden' && entry.status === 'running'), { timeoutMs: 30_000 });
    writeFileSync(control, 'exit 3');
    await waitFor(async () => (await daemon.list()).find((entry) => entry.name === 'hidden' && entry.status === 'stopped'), { timeoutMs: 30_000 });
    const hidden = JSON.parse((await daemon.owl('ls', '--json')).output) as Array<{ name: string; lastExit: { code: number } | null }>;
    expect(hidden.find((entry) => entry.name === 'hidden')?.lastExit?.code).toBe(3);
  }, 300_000);
});
