import type { Command } from 'commander';
import type { RpcClient } from '@owl/rpc';
import type { LogLine, LogStreamChoice } from '@owl/rpc/contract';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { formatLogLine } from '../output/format-log-line.ts';
import { printJson, printLine } from '../output/print.ts';

interface LogsOptions {
  follow?: boolean;
  lines: string;
  err?: boolean;
  out?: boolean;
  timestamps?: boolean;
}

const MAX_LINES = 10_000;

export function registerLogsCommand(program: Command): void {
  program
    .command('logs [name]')
    .description('app output: the last lines of one app, or of all apps interleaved; -f follows')
    .option('-f, --follow', 'keep printing new lines as they are written')
    .option('-n, --lines <n>', 'how many recent lines to show first', '100')
    .option('--err', 'only stderr')
    .option('--out', 'only stdout')
    .option('-t, --timestamps', 'prefix each line with the time the daemon read it')
    .action(async (name: string | undefined, options: LogsOptions, command: Command) => {
      const globals = globalOptions(command);
      const lines = Number(options.lines);
      if (!Number.isInteger(lines) || lines < 0 || lines > MAX_LINES) {
        command.error(`-n: expected a whole number from 0 to ${MAX_LINES}, received "${options.lines}"`, { exitCode: 2 });
      }
      if (options.err && options.out) command.error('--err and --out exclude each other; leave both out for both streams', { exitCode: 2 });
      const stream: LogStreamChoice = options.err ? 'err' : options.out ? 'out' : 'both';
      const query = { ...(name ? { name } : {}), stream };
      const format = { withApp: name === undefined, timestamps: options.timestamps ?? false };
      const print = (line: LogLine): void => printLine(globals.json ? JSON.stringify(line) : formatLogLine(line, format));
      await withClient(globals, async (client) => {
        if (!options.follow) {
          const recent = lines === 0 ? [] : await client.call('logs.read', { ...query, lines });
          if (globals.json) printJson(recent);
          else recent.forEach(print);
          return;
        }
        await followLogs(client, { ...query, lines }, print);
      });
    });
}

/** Streams lines (the backlog first) until the daemon ends the stream or the user presses Ctrl-C. */
function followLogs(client: RpcClient, params: { name?: string; stream: LogStreamChoice; lines: number }, print: (line: LogLine) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    process.once('SIGINT', () => resolve());
    client
      .subscribe('logs.follow', params, {
        onData: (batch) => (batch as LogLine[]).forEach(print),
        onEnd: (error) => (error ? reject(error) : resolve()),
      })
      .catch(reject);
  });
}
