import type { Command } from 'commander';
import { OwlError } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { resolveCliHome } from '../connect/resolve-home.ts';

export function registerDashCommand(program: Command): void {
  program
    .command('dash')
    .description('full-screen dashboard: host, apps and the selected app\'s output; s/r start, stop, restart')
    .option('--refresh <ms>', 'refresh period in milliseconds', '1000')
    .option('--fleet', 'the whole cluster: nodes, the leader, every node\'s apps; s/r act on the app\'s own node')
    .action(async (options: { refresh: string; fleet?: boolean }, command: Command) => {
      const globals = globalOptions(command);
      const refreshMs = Number(options.refresh);
      if (!Number.isInteger(refreshMs) || refreshMs < 100 || refreshMs > 60_000) {
        throw new OwlError('OWL_USAGE', `--refresh: expected whole milliseconds from 100 to 60000, received "${options.refresh}"`);
      }
      if (!process.stdout.isTTY || !process.stdin.isTTY) throw new OwlError('OWL_USAGE', 'owl dash needs a terminal; use owl ls, owl logs -f or owl metrics in scripts');
      // Loaded only here: blessed is the dashboard's alone.
      const { runDashboard, runFleetDashboard } = await import('@owl/console');
      await withClient(globals, async (client) => {
        if (!options.fleet) return runDashboard(client, { target: globals.on ?? process.env.OWL_URL ?? resolveCliHome(globals.home), refreshMs });
        // Asked before the screen takes the terminal, so "not in a cluster" is a plain error (exit 2).
        await client.call('cluster.status', {});
        return runFleetDashboard(client, { refreshMs });
      });
    });
}
