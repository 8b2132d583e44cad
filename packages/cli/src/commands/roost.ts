import type { Command } from 'commander';
import type { RoostVersionRow } from '@owl/rpc/contract';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { printJson, printLine } from '../output/print.ts';
import { renderTable } from '../output/format.ts';

const SHORT_ID = 12;

function versionTable(rows: readonly RoostVersionRow[]): string {
  return renderTable(
    ['', 'VERSION', 'FILES', 'BYTES', 'PUBLISHED'],
    rows.map((row) => [row.current ? '*' : '', row.versionId.slice(0, SHORT_ID), String(row.files), String(row.bytes), row.publishedAt ?? '-']),
  );
}

export function registerRoostCommands(program: Command): void {
  const roost = program.command('roost').description('content roosts: versioned folders published to the daemon and switched at once');

  roost
    .command('publish <dir>')
    .description('publish a folder as a new version of a roost; only chunks the daemon lacks are sent')
    .requiredOption('--roost <name>', 'the roost (configured in config.json "roost.roots")')
    .action(async (dir: string, options: { roost: string }, command: Command) => {
      const globals = globalOptions(command);
      // Loaded only here: publishing needs the roost contract's limits, and with them zod, which
      // every other command (ls, start, stop...) must not pay for at start.
      const { publishFolder } = await import('./roost-publish.ts');
      const outcome = await withClient(globals, (client) => publishFolder(client, dir, options.roost));
      if (globals.json) return printJson(outcome);
      printLine(`roost ${outcome.roost}: now at ${outcome.versionId.slice(0, SHORT_ID)} (${outcome.files} files, ${outcome.bytes} bytes)`);
      printLine(`uploaded ${outcome.uploaded} of ${outcome.chunks} chunks (${outcome.uploadedBytes} bytes)`);
      if (outcome.restarted.length > 0) printLine(`restarted ${outcome.restarted.join(', ')}`);
    });

  roost
    .command('versions <roost>')
    .description('the kept versions of a roost, newest first (* = current)')
    .action(async (name: string, _options, command: Command) => {
      const globals = globalOptions(command);
      const rows = await withClient(globals, (client) => client.call('roost.versions', { roost: name }));
      if (globals.json) return printJson(rows);
      printLine(versionTable(rows));
    });

  roost
    .command('status <roost>')
    .description('current version, files, bytes and kept versions of a roost')
    .action(async (name: string, _options, command: Command) => {
      const globals = globalOptions(command);
      const status = await withClient(globals, (client) => client.call('roost.status', { roost: name }));
      if (globals.json) return printJson(status);
      printLine(`roost ${status.roost} at ${status.root}`);
      printLine(status.current === null ? 'no version published yet' : `current ${status.current} (${status.files} files, ${status.bytes} bytes)${status.signed ? '' : ', unsigned (single node)'}`);
      if (status.kept.length > 0) printLine(versionTable(status.kept));
    });

  roost
    .command('rollback <roost>')
    .description('flip the roost back to the previous kept version, or to --to')
    .option('--to <version>', 'a kept version id (or a unique prefix of at least 6 digits)')
    .action(async (name: string, options: { to?: string }, command: Command) => {
      const globals = globalOptions(command);
      const result = await withClient(globals, (client) => client.call('roost.rollback', { roost: name, ...(options.to ? { to: options.to } : {}) }));
      if (globals.json) return printJson(result);
      printLine(`roost ${result.roost}: rolled back to ${result.versionId.slice(0, SHORT_ID)} (was ${result.previous?.slice(0, SHORT_ID) ?? '-'})`);
      if (result.restarted.length > 0) printLine(`restarted ${result.restarted.join(', ')}`);
    });
}
