import type { Command } from 'commander';
import { globalOptions } from '../connect/global-options.ts';
import { renderTable } from '../output/format.ts';
import { printJson, printLine } from '../output/print.ts';

export function registerImportCommands(program: Command): void {
  const importCommand = program.command('import').description('bring apps over from another supervisor');
  importCommand
    .command('pm2')
    .argument('[file]', 'ecosystem file (.json, .js, .cjs, .yaml) or PM2 dump (default $PM2_HOME/dump.pm2, else ~/.pm2/dump.pm2)')
    .option('-o, --output <file>', 'owl config to write', 'owl.config.json')
    .option('--force', 'overwrite the output file')
    .option('--env <name>', 'merge env_<name> over env, as pm2 start --env <name> does')
    .description('write an owl.config.json from PM2 apps, with a table of what every PM2 option became')
    .action(async (file: string | undefined, options: { output: string; force?: boolean; env?: string }, command: Command) => {
      const globals = globalOptions(command);
      // Loaded here only: YAML and the config schema are needed by no other command.
      const { importPm2 } = await import('../import-pm2/import-pm2.ts');
      const { defaultDumpFile } = await import('../import-pm2/read-pm2-source.ts');
      const result = await importPm2({ source: file ?? defaultDumpFile(), output: options.output, force: options.force === true, envName: options.env });
      if (globals.json) return printJson(result);
      printLine(renderTable(['APP', 'PM2 OPTION', 'PM2 VALUE', 'OWL'], result.mapping.map((row) => [row.app, row.option, row.value, row.owl])));
      printLine('');
      printLine(`wrote ${result.output} (${result.apps.length} apps from the PM2 ${result.kind} ${result.source})`);
      printLine(`next: owl apply -f ${result.output}`);
    });
}
