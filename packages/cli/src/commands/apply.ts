import path from 'node:path';
import type { Command } from 'commander';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { printJson, printLine } from '../output/print.ts';

export function registerApplyCommand(program: Command): void {
  program
    .command('apply')
    .description('reconcile the daemon with an owl.config.json: create, update, restart what changed')
    .requiredOption('-f, --file <path>', 'config file (owl.config.json)')
    .option('--prune', 'delete apps that the file does not list')
    .action(async (options: { file: string; prune?: boolean }, command: Command) => {
      const globals = globalOptions(command);
      // Relative working directories in a config file mean the file's own directory.
      const baseDirectory = path.dirname(path.resolve(options.file));
      // Loaded here only: the config schema (zod) is not needed by any other command.
      const { loadConfigFile } = await import('../config/load-config-file.ts');
      const apps = (await loadConfigFile(options.file)).map((app) => ({ ...app, cwd: path.resolve(baseDirectory, app.cwd ?? '.') }));
      const result = await withClient(globals, (client) => client.call('apps.apply', { apps, prune: options.prune ?? false }));
      if (globals.json) return printJson(result);
      for (const [label, names] of Object.entries(result)) {
        if (names.length > 0) printLine(`${label}: ${names.join(', ')}`);
      }
    });
}
