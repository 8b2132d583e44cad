import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { startWineDaemon, toWinePath, windowsNode, wineUnavailableReason } from '../helpers/wine.ts';

const unavailable = wineUnavailableReason();
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);

describe.skipIf(unavailable !== null)('launch marker on Windows (under Wine)', () => {
  it('a child the state files no longer know is found from its own environment (PEB) and shown as an orphan', async () => {
    const daemon = await startWineDaemon();
    const { home, owl } = daemon;
    onTestFinished(() => daemon.dispose());
    const started = await owl('start', '--name', 'marked', '--', toWinePath(windowsNode()), '-e', 'setInterval(() => {}, 1000)');
    expect(started.code, started.output).toBe(0);
    const running = await waitFor(async () => (await daemon.list()).find((row) => row.name === 'marked' && row.status === 'running'), { timeoutMs: 60_000 });
    expect((await owl('daemon', 'stop')).code).toBe(0);
    rmSync(path.join(home, 'state.json'));
    rmSync(path.join(home, 'state.json.prev'));
    expect((await owl('daemon', 'start')).code).toBe(0);
    // Nothing on disk names it: the new daemon found it by OWL_LAUNCH in the process itself.
    expect(await daemon.list()).toMatchObject([{ name: 'marked', status: 'orphan', pid: running.pid }]);
    const stopped = await owl('stop', '--orphans', '--json');
    expect(JSON.parse(stopped.output)).toEqual({ pids: [running.pid] });
    expect(await daemon.list()).toEqual([]);
  }, 240_000);
});
