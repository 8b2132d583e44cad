import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { startWineDaemon, wineUnavailableReason } from '../helpers/wine.ts';

const unavailable = wineUnavailableReason();
// CI sets OWL_REQUIRE_WINE=1 so a missing Wine fails instead of skipping.
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);

describe.skipIf(unavailable !== null)('Windows build of owl under Wine', () => {
  it('serves the named pipe, supervises a cmd.exe app with output to files, and stops its tree', async () => {
    const daemon = await startWineDaemon();
    const { home, owl } = daemon;
    onTestFinished(() => daemon.dispose());
    expect(daemon.startOutput).toMatch(/^owl daemon started \(pid \d+, home Z:\\/);
    const status = JSON.parse((await owl('daemon', 'status', '--json')).output) as { planes: Array<{ kind: string; address: string }> };
    expect(status.planes[0]?.address).toMatch(/^\\\\\.\\pipe\\owl-[0-9a-f]{16}$/);

    const app = await owl('start', '--name', 'echoer', '--', 'cmd.exe', '/c', 'for /L %i in (1,1,1000000) do @echo line %i');
    expect(app.code).toBe(0);
    await waitFor(() => {
      try {
        return readFileSync(path.join(home, 'logs', 'echoer', 'out.log'), 'utf8').startsWith('line 1\r\nline 2');
      } catch {
        return false;
      }
    }, { timeoutMs: 30_000 });
    const rows = JSON.parse((await owl('ls', '--json')).output) as Array<{ name: string; status: string; pid: number }>;
    expect(rows.map((row) => [row.name, row.status])).toEqual([['echoer', 'running']]);

    // The next daemon adopts the running app: same pid, start time and executable.
    expect((await owl('daemon', 'stop')).code).toBe(0);
    expect((await owl('daemon', 'start')).code).toBe(0);
    expect(readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8')).toContain('windows: native bindings loaded');
    const adopted = await daemon.list();
    expect(adopted).toMatchObject([{ name: 'echoer', status: 'running', pid: rows[0]?.pid, restarts: 0 }]);
    const state = JSON.parse(readFileSync(path.join(home, 'state.json'), 'utf8')) as { apps: { echoer: { instances: Array<{ startTime: string | null }> } } };
    expect(state.apps.echoer.instances[0]?.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const stopped = await owl('stop', 'echoer');
    expect(stopped).toEqual({ code: 0, output: 'stopped: echoer\n' });
    const after = JSON.parse((await owl('ls', '--json')).output) as Array<{ status: string; pid: number | null }>;
    expect(after[0]).toMatchObject({ status: 'stopped', pid: null });
    // The log stops growing once the tree is gone.
    const size = readFileSync(path.join(home, 'logs', 'echoer', 'out.log')).length;
    const confirm = await owl('ping');
    expect(confirm.code).toBe(0);
    expect(readFileSync(path.join(home, 'logs', 'echoer', 'out.log')).length).toBe(size);
  }, 180_000);
});
