import type { Command } from 'commander';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { printJson, printLine } from '../output/print.ts';

export function registerPingCommand(program: Command): void {
  program
    .command('ping')
    .description('check that the daemon answers')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const started = performance.now();
      const answer = await withClient(globals, (client) => client.call('daemon.ping', {}));
      const ms = Math.round((performance.now() - started) * 10) / 10;
      if (globals.json) printJson({ ...answer, ms });
      else printLine(`pong from owl daemon ${answer.version} (pid ${answer.pid}) in ${ms} ms`);
    });
}
