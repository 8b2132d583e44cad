import { EXIT } from '@owl/rpc';
import { reportError } from '../output/exit-code-for-error.ts';
import { parseQuickPathArgs } from './parse-quick-path.ts';

/**
 * `owl ls` (and `owl list`) and a plain `owl daemon start` without commander: the same call
 * and output as the full CLI's commands, for the command a user and a script run most and the
 * one whose start owld's own start waits behind. Undefined when argv is anything else.
 */
export function runQuickPath(argv: readonly string[]): Promise<number> | undefined {
  const call = parseQuickPathArgs(argv.slice(2));
  if (call === undefined) return undefined;
  // Each loads only its own code: a start does not wait for the list's formatting, nor a
  // list for the spawning code.
  const run =
    call.command === 'list'
      ? import('../commands/apps.ts').then(({ listApps }) => listApps(call.globals))
      : import('../daemon-control/quick-start.ts').then(({ runQuickStart }) => runQuickStart(call.globals));
  return run.then(() => EXIT.ok, reportError);
}
