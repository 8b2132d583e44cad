import { describe, expect, it } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { OWL_BIN, runOwl, tempHome } from '@owl/test-support/owl';
import { appRow, startFixture } from '@owl/test-support/apps';
import { startPane, tmuxMissing } from '../helpers/tmux-pane.ts';

const missing = tmuxMissing();

describe.skipIf(missing)('owl dash', () => {
  it('shows the host, the apps and the selected app\'s output, and starts, stops and restarts it from the keyboard', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startFixture(home, 'ticker', 'numbered-lines.mjs', ['200']);
    const pane = startPane([process.execPath, OWL_BIN, '--home', home, 'dash', '--refresh', '200']);

    const first = await waitFor(() => {
      const screen = pane.screen();
      // stdout and stderr are tailed apart: wait for a line of each.
      return /ticker\s+\S*\s*running/.test(screen) && screen.includes('  tick 1') && screen.includes('! tock 1') ? screen : undefined;
    }, { message: 'the dashboard never showed the running app and its output' });
    expect(first).toContain(`owl dash  ${home}   host cpu `);
    expect(first).toContain('apps 1/1 running');
    expect(first).toContain('logs: ticker');

    pane.keys('s');
    await waitFor(async () => (await appRow(home, 'ticker'))?.status === 'stopped');
    await waitFor(() => /ticker\s+\S*\s*stopped/.test(pane.screen()) && pane.screen().includes('stop: ticker'));
    pane.keys('s');
    const started = await waitFor(async () => {
      const row = await appRow(home, 'ticker');
      return row?.status === 'running' ? row : undefined;
    });
    pane.keys('r');
    await waitFor(async () => {
      const row = await appRow(home, 'ticker');
      return row?.status === 'running' && row.pid !== started.pid;
    }, { message: 'r did not restart the app' });

    pane.keys('q');
    await waitFor(() => !pane.alive(), { message: 'q did not end the dashboard' });
  });

  it('refuses to run without a terminal, and a bad --refresh', async () => {
    const home = tempHome();
    expect(await runOwl(['dash'], { home })).toMatchObject({ code: 2, stdout: '', stderr: 'owl: owl dash needs a terminal; use owl ls, owl logs -f or owl metrics in scripts\n' });
    expect(await runOwl(['dash', '--refresh', '5'], { home })).toMatchObject({ code: 2, stdout: '', stderr: 'owl: --refresh: expected whole milliseconds from 100 to 60000, received "5"\n' });
  });
});
