import { createRequire } from 'node:module';
import type Blessed from 'blessed';
import type { RpcClient } from '@owl/rpc';
import type { AppRow, HostMetrics, LogLine } from '@owl/rpc/contract';
import { APP_COLUMNS, formatAppRows, formatHeader, instanceLabel, toggleAction } from './dashboard-view.ts';

export interface DashboardOptions {
  /** Where the daemon is, for the header: a home directory or a remote alias. */
  target: string;
  /** How often the table, host line and log pane are refreshed (default 1 s). */
  refreshMs?: number;
}

const LOG_LINES = 200;
const HELP = '↑/↓ select   s start/stop   r restart   q quit';

/**
 * `owl dash`: a full-screen view of one daemon: host CPU and memory, every app instance with
 * its status, pid, CPU, memory, restarts and uptime, and the latest output of the selected
 * app. Keys start, stop and restart the selected app (operator role on a remote). Everything
 * comes from the same RPC calls as the CLI's, polled once per refresh; nothing is cached
 * between refreshes. Resolves when the user quits (q, Esc or Ctrl-C).
 */
export function runDashboard(client: RpcClient, options: DashboardOptions): Promise<void> {
  // blessed is CommonJS and loads its widgets and terminfo from its own directory at run time.
  const blessed = createRequire(import.meta.url)('blessed') as typeof Blessed;
  const screen = blessed.screen({ smartCSR: true, title: 'owl dash', fullUnicode: true });
  const header = blessed.box({ parent: screen, top: 0, left: 0, height: 1, width: '100%', tags: false, style: { bold: true } });
  const table = blessed.listtable({
    parent: screen,
    top: 1,
    left: 0,
    height: '50%-1',
    width: '100%',
    keys: true,
    vi: true,
    border: { type: 'line' },
    align: 'left',
    style: { header: { bold: true }, selected: { inverse: true }, cell: {} },
    data: [[...APP_COLUMNS]],
  });
  const logs = blessed.log({ parent: screen, top: '50%', left: 0, height: '50%-1', width: '100%', border: { type: 'line' }, label: ' logs ', scrollback: LOG_LINES });
  const footer = blessed.box({ parent: screen, bottom: 0, left: 0, height: 1, width: '100%', content: HELP });

  let rows: AppRow[] = [];
  let host: HostMetrics | null = null;
  let shownLog = '';
  let refreshing = false;
  // The selected table row (row 0 is the header); blessed's typings leave `selected` out.
  const selectedRow = (): number => (table as unknown as { selected: number }).selected;
  const selected = (): AppRow | undefined => rows[Math.max(0, selectedRow() - 1)];
  const say = (message: string): void => {
    footer.setContent(`${HELP}   | ${message}`);
    screen.render();
  };

  const refresh = async (): Promise<void> => {
    if (refreshing) return;
    refreshing = true;
    try {
      [rows, host] = await Promise.all([client.call('apps.list', {}), client.call('metrics.get', { history: false }).then((result) => result.host)]);
      const position = selectedRow();
      table.setData([[...APP_COLUMNS], ...formatAppRows(rows)]);
      table.select(Math.min(Math.max(position, 1), rows.length));
      header.setContent(formatHeader(options.target, host, rows));
      await refreshLogs();
      screen.render();
    } catch (error) {
      say(`cannot refresh: ${(error as Error).message}`);
    } finally {
      refreshing = false;
    }
  };

  const refreshLogs = async (): Promise<void> => {
    const row = selected();
    if (!row) return;
    const lines: LogLine[] = await client.call('logs.read', { name: row.name, stream: 'both', lines: LOG_LINES });
    const text = lines
      .filter((line) => line.instance === row.instance)
      .map((line) => `${line.stream === 'err' ? '!' : ' '} ${line.line}`)
      .join('\n');
    logs.setLabel(` logs: ${instanceLabel(row)} `);
    if (text === shownLog) return;
    shownLog = text;
    logs.setContent(text);
    logs.setScrollPerc(100);
  };

  const act = async (method: 'apps.start' | 'apps.stop' | 'apps.restart'): Promise<void> => {
    const row = selected();
    if (!row) return;
    say(`${method.slice(5)} ${row.name}...`);
    try {
      await client.call(method, { target: row.name });
      say(`${method.slice(5)}: ${row.name}`);
    } catch (error) {
      say(`${method.slice(5)} ${row.name} failed: ${(error as Error).message}`);
    }
    await refresh();
  };

  return new Promise<void>((resolve) => {
    const timer = setInterval(() => void refresh(), options.refreshMs ?? 1000);
    const quit = (): void => {
      clearInterval(timer);
      screen.destroy();
      resolve();
    };
    screen.key(['q', 'escape', 'C-c'], quit);
    screen.key(['s'], () => void act(toggleAction(selected()?.status ?? 'stopped')));
    screen.key(['r'], () => void act('apps.restart'));
    let selectedLabel = '';
    table.on('select item', () => {
      const row = selected();
      const label = row ? instanceLabel(row) : '';
      // Refreshes re-select the same row: only a move to another app reloads the log pane.
      if (label === selectedLabel) return;
      selectedLabel = label;
      shownLog = '';
      void refreshLogs().then(() => screen.render(), () => undefined);
    });
    table.focus();
    void refresh();
  });
}
