import type { Command } from 'commander';
import type { OwlEvent } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { printJson, printLine } from '../output/print.ts';

function formatEvent(event: OwlEvent): string {
  const who = event.app ? ` ${event.app}${event.instance ? `#${event.instance}` : ''}` : '';
  return `${event.at} ${event.type}${who} ${JSON.stringify(event.data)}`;
}

export function registerEventsCommand(program: Command): void {
  program
    .command('events')
    .description('recent events; -f follows new ones')
    .option('-f, --follow', 'keep streaming events as they happen')
    .option('-n, --lines <n>', 'how many recent events', '50')
    .option('--app <name>', 'only events of this app')
    .action(async (options: { follow?: boolean; lines: string; app?: string }, command: Command) => {
      const globals = globalOptions(command);
      const limit = Number(options.lines);
      if (!Number.isInteger(limit) || limit < 1) command.error(`-n: expected a positive whole number, received "${options.lines}"`, { exitCode: 2 });
      const print = (event: OwlEvent): void => printLine(globals.json ? JSON.stringify(event) : formatEvent(event));
      await withClient(globals, async (client) => {
        const recent = await client.call('events.list', { limit, ...(options.app ? { app: options.app } : {}) });
        if (!options.follow) {
          if (globals.json) printJson(recent);
          else recent.forEach(print);
          return;
        }
        recent.forEach(print);
        await new Promise<void>((resolve, reject) => {
          void client
            .subscribe('events.follow', options.app ? { app: options.app } : {}, {
              onData: (data) => print(data as OwlEvent),
              onEnd: (error) => (error ? reject(error) : resolve()),
            })
            .catch(reject);
          process.once('SIGINT', () => resolve());
        });
      });
    });
}
