import { describe, expect, it } from 'vitest';
import { judgeTree, parseRespondingOutput, queryNative, respondingScript, WindowResponsiveWatcher } from '../../src/health/window-responsive.ts';
import { waitFor } from '@owl/test-support/wait-for';

describe('windowResponsive (Windows hung-window check)', () => {
  it('parses the batched PowerShell answer', () => {
    expect(parseRespondingOutput('120=True\r\n4410=False\r\n\r\nnoise\r\n')).toEqual(new Map([[120, true], [4410, false]]));
  });

  it('asks for every pid in one query and exits 0 even when a pid is gone', () => {
    const script = respondingScript([12, 34, 56]);
    expect(script).toContain('Get-Process -Id 12,34,56 -ErrorAction SilentlyContinue');
    expect(script).toContain('$_.Responding');
    expect(script.endsWith('exit 0')).toBe(true);
  });

  it('fails a tree with any hung window and passes a tree without windows', () => {
    const answer = new Map([[2, true], [3, false]]);
    expect(judgeTree([1, 2, 3], answer)).toEqual({ ok: false, detail: 'the window of pid 3 is not responding' });
    expect(judgeTree([1, 2], answer)).toEqual({ ok: true, detail: 'window of pid 2 responding' });
    expect(judgeTree([7], answer)).toEqual({ ok: true, detail: 'no window to check' });
  });

  it('runs one query per tick for all watched trees', async () => {
    const queries: number[][] = [];
    const watcher = new WindowResponsiveWatcher({
      treeOf: (pid) => [pid, pid + 1],
      query: async (pids) => {
        queries.push([...pids]);
        return parseRespondingOutput('11=False\n21=True\n');
      },
    });
    watcher.watch(10, 20);
    watcher.watch(20, 20);
    expect(watcher.verdict(10)).toEqual({ ok: true, detail: 'window state not known yet' });
    await waitFor(() => !watcher.verdict(10).ok);
    expect(watcher.verdict(10)).toEqual({ ok: false, detail: 'the window of pid 11 is not responding' });
    expect(watcher.verdict(20)).toEqual({ ok: true, detail: 'window of pid 21 responding' });
    watcher.stop();
    expect(queries[0]).toEqual([10, 11, 20, 21]);
  });

  it('judges a pid by all its visible windows, one window query for all pids', async () => {
    const asked: number[][] = [];
    const hungWindows = new Set(['b2']);
    const native = {
      windowsOf: (pids: ReadonlySet<number>) => {
        asked.push([...pids]);
        return new Map<number, unknown[]>([[1, ['a1']], [2, ['b1', 'b2']]]);
      },
      isHung: async (window: unknown) => hungWindows.has(String(window)),
    };
    expect(await queryNative(native, [1, 2, 3])).toEqual(new Map([[1, true], [2, false]]));
    expect(asked).toEqual([[1, 2, 3]]);
  });
});
