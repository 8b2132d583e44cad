import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RpcClient } from '@owl/rpc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { checkNeverTwice, killMarked, markedProcesses, processState, startOwld } from '../helpers/launched.ts';

const APPS = 40;

function config(generation: number): Array<Record<string, unknown>> {
  return Array.from({ length: APPS }, (_, index) => ({ name: `app${index}`, command: 'sleep', args: ['100000'], env: { GENERATION: String(generation) }, stop: { timeout: '2s' } }));
}

type Interrupt = 'apps.stop' | 'apps.delete' | 'apps.apply';

/**
 * Operators racing an apply of 40 apps while its launches are in flight: `stop all`, `delete
 * all` or a second apply arrives after a varying number of launches. When both calls have
 * answered, the processes are exactly the ones the final intent wants: no row says stopped
 * while its process runs, no process is unlisted, and `daemon stop --with-apps` leaves none.
 */
describe('stop, delete and apply racing an apply of dozens of apps', () => {
  it('every interleaving ends with exactly the processes the final intent wants (0 leaks)', { timeout: 300_000 }, async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'owl-race-'));
    onTestFinished(() => {
      killMarked(home);
      rmSync(home, { recursive: true, force: true });
    });
    const daemon = await startOwld(home);
    const client = await RpcClient.connect({ kind: 'local', home }, { callTimeoutMs: 60_000 });
    const interrupts: Interrupt[] = ['apps.stop', 'apps.delete', 'apps.apply', 'apps.stop', 'apps.stop', 'apps.delete'];
    let leaks = 0;
    for (const [round, interrupt] of interrupts.entries()) {
      const apply = client.call('apps.apply', { apps: config(round * 2) as never, prune: false });
      // Interrupt after a different number of launches each round (0 = before any).
      const after = [0, 3, 9, 17, 25, 33][round] as number;
      await waitFor(() => markedProcesses(home).length >= after, { timeoutMs: 30_000, intervalMs: 5 });
      const second =
        interrupt === 'apps.apply'
          ? client.call('apps.apply', { apps: config(round * 2 + 1) as never, prune: false })
          : client.call(interrupt, { target: 'all' });
      const [, secondResult] = await Promise.all([apply, second]);
      const rows = await client.call('apps.list', {});
      const problems = checkNeverTwice(home, rows);
      leaks += problems.length;
      expect(problems, `round ${round} (${interrupt} after ${after} launches)`).toEqual([]);
      if (interrupt === 'apps.stop') {
        // Everything the stop answered for is stopped, and nothing of it runs.
        const stopped = new Set((secondResult as { names: string[] }).names);
        expect(rows.filter((row) => stopped.has(row.name) && row.status !== 'stopped')).toEqual([]);
      }
      if (interrupt === 'apps.delete') expect(rows.filter((row) => (secondResult as { names: string[] }).names.includes(row.name))).toEqual([]);
      if (interrupt === 'apps.apply') {
        expect(rows.filter((row) => row.status !== 'running')).toEqual([]);
        expect(markedProcesses(home)).toHaveLength(APPS);
      }
      await client.call('apps.delete', { target: 'all' }).catch(() => undefined);
      expect(markedProcesses(home)).toEqual([]);
    }
    expect(leaks).toBe(0);
    await client.call('apps.apply', { apps: config(99) as never, prune: false });
    await client.call('daemon.shutdown', { withApps: true });
    await waitFor(() => processState(daemon.pid) === null || processState(daemon.pid) === 'Z', { timeoutMs: 30_000 });
    await client.close();
    expect(markedProcesses(home)).toEqual([]);
  });
});
