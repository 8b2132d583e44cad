import type { Command } from 'commander';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { printJson, printLine } from '../output/print.ts';
import { renderMetrics } from '../output/render-metrics.ts';

export function registerMetricsCommand(program: Command): void {
  program
    .command('metrics')
    .argument('[name]', 'only this app')
    .description('host and per-app CPU and memory (whole process tree), with averages and peaks over --since')
    .option('--since <duration>', 'how far back history and summaries reach: up to 7d (e.g. 15m, 6h, 2d)', '1h')
    .action(async (name: string | undefined, options: { since: string }, command: Command) => {
      const globals = globalOptions(command);
      const result = await withClient(globals, (client) =>
        // The table shows summaries only; --json carries the downsampled history too.
        client.call('metrics.get', { ...(name ? { name } : {}), since: options.since, history: globals.json === true }),
      );
      if (globals.json) printJson(result);
      else printLine(renderMetrics(result, name !== undefined));
    });
}
