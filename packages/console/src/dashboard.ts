import type { RpcClient } from '@owl/rpc';
import type { AppRow, HostMetrics, LogLine } from '@owl/rpc/contract';
import { createShell, createTable, selectedIndex, setRows } from './dashboard-shell.ts';
import { APP_COLUMNS, formatAppRows, formatHeader, instanceLabel, toggleAction } from './dashboard-view.ts';

export interface DashboardOptions {
  /** Where the daemon is, for the header: a home directory or a remote alias. */
  target: string;
  /** How often the tables, header and log pane are refreshed (default 1 s). */
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
  const shell = createShell('owl dash', HELP);
  const table = createTable(shell, { top: 1, height: '50%-1' }, APP_COLUMNS);
  const logs = shell.blessed.log({ parent: shell.screen, top: '50%', left: 0, height: '50%-1', width: '100%', border: { type: 'line' }, label: ' logs ', scrollback: LOG_LINES });

  let rows: AppRow[] = [];
  let shownLog = '';
  const selected = (): AppRow | undefined => rows[selectedIndex(table)];

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

  const refresh = async (): Promise<void> => {
    let host: HostMetrics | null;
    [rows, host] = await Promise.all([client.call('apps.list', {}), client.call('metrics.get', { history: false }).then((result) => result.host)]);
    setRows(table, APP_COLUMNS, formatAppRows(rows));
    shell.header.setContent(formatHeader(options.target, host, rows));
    await refreshLogs();
  };

  const act = async (method: 'apps.start' | 'apps.stop' | 'apps.restart'): Promise<void> => {
    const row = selected();
    if (!row) return;
    const verb = method.slice(5);
    shell.say(`${verb} ${row.name}...`);
    try {
      await client.call(method, { target: row.name });
      shell.say(`${verb}: ${row.name}`);
    } catch (error) {
      shell.say(`${verb} ${row.name} failed: ${(error as Error).message}`);
    }
    await refresh().then(() => shell.screen.render(), () => undefined);
  };

  shell.screen.key(['s'], () => void act(toggleAction(selected()?.status ?? 'stopped')));
  shell.screen.key(['r'], () => void act('apps.restart'));
  let selectedLabel = '';
  table.on('select item', () => {
    const row = selected();
    const label = row ? instanceLabel(row) : '';
    // Refreshes re-select the same row: only a move to another app reloads the log pane.
    if (label === selectedLabel) return;
    selectedLabel = label;
    shownLog = '';
    void refreshLogs().then(() => shell.screen.render(), () => undefined);
  });
  table.focus();
  return shell.run(options.refreshMs ?? 1000, refresh);
}
