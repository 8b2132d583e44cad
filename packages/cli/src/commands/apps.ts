import type { Command } from 'commander';
import type { AppRow } from '@owl/rpc';
import { globalOptions, type GlobalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { formatBytes, formatDuration, renderTable } from '../output/format.ts';
import { printJson, printLine } from '../output/print.ts';

function rowLabel(row: AppRow): string {
  return row.instance === 0 ? row.name : `${row.name}#${row.instance}`;
}

export function renderAppRows(rows: AppRow[]): string {
  if (rows.length === 0) return 'no apps; add one with: owl start app.js, or owl start --name NAME -- COMMAND [ARGS...]';
  return renderTable(
    ['NAME', 'STATUS', 'PID', 'UPTIME', 'RESTARTS', 'CPU', 'MEMORY', 'REASON'],
    rows.map((row) => [
      rowLabel(row),
      row.status,
      row.pid === null ? '-' : String(row.pid),
      row.pid === null ? '-' : formatDuration(row.uptimeMs),
      String(row.restarts),
      row.cpu === null ? '-' : `${row.cpu}%`,
      formatBytes(row.memory),
      row.reason ?? '',
    ]),
  );
}

/** `owl ls`: also run by the quick path (src/quick-path), so both print the same bytes. */
export async function listApps(globals: GlobalOptions): Promise<void> {
  const rows = await withClient(globals, (client) => client.call('apps.list', {}));
  if (globals.json) printJson(rows);
  else printLine(renderAppRows(rows));
}

async function runTargetCommand(name: 'stop' | 'restart' | 'delete', target: string, command: Command): Promise<void> {
  const globals = globalOptions(command);
  const result = await withClient(globals, (client) => client.call(`apps.${name}`, { target }));
  if (globals.json) printJson(result);
  else printLine(`${name === 'stop' ? 'stopped' : name === 'restart' ? 'restarted' : 'deleted'}: ${result.names.join(', ') || '(no apps)'}`);
}

function registerTargetCommand(program: Command, name: 'restart' | 'delete', description: string): void {
  program
    .command(name)
    .argument('<name>', 'app name, or "all"')
    .description(description)
    .action((target: string, _options, command: Command) => runTargetCommand(name, target, command));
}

/** `owl stop <name|all>`, or `owl stop --orphans`: the processes owl started that no app wants. */
function registerStopCommand(program: Command): void {
  program
    .command('stop')
    .argument('[name]', 'app name, or "all"')
    .option('--orphans', 'stop the processes this home started that no app wants (status orphan in owl ls)')
    .description('stop an app (or all): signal, wait, then kill the whole tree')
    .action(async (target: string | undefined, options: { orphans?: boolean }, command: Command) => {
      if (options.orphans === true && target === undefined) {
        const globals = globalOptions(command);
        const result = await withClient(globals, (client) => client.call('apps.stopOrphans', {}));
        if (globals.json) printJson(result);
        else printLine(`stopped orphans: ${result.pids.join(', ') || '(none)'}`);
        return;
      }
      if (target === undefined || options.orphans === true) {
        command.error('give one app name (or "all"), or --orphans alone', { exitCode: 2, code: 'owl.usage' });
      }
      await runTargetCommand('stop', target as string, command);
    });
}

export function registerAppCommands(program: Command): void {
  registerStopCommand(program);
  registerTargetCommand(program, 'restart', 'restart an app (or all) with its current spec and env');
  registerTargetCommand(program, 'delete', 'stop an app (or all) and forget it');

  program
    .command('list')
    .alias('ls')
    .description('list apps with status, pid, restarts, uptime, CPU and memory')
    .action((_options, command: Command) => listApps(globalOptions(command)));

  program
    .command('describe')
    .argument('<name>', 'app name')
    .description('show one app: its spec, instances, last exits and health')
    .action(async (name: string, _options, command: Command) => {
      const globals = globalOptions(command);
      const detail = await withClient(globals, (client) => client.call('apps.describe', { name }));
      if (globals.json) return printJson(detail);
      const { renderDescribe } = await import('../output/render-describe.ts');
      printLine(renderDescribe(detail));
    });
}
