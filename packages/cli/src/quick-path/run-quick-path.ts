import { EXIT } from '@owl/rpc';
import { listApps } from '../commands/apps.ts';
import { runQuickStart } from '../daemon-control/quick-start.ts';
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
  const run = call.command === 'list' ? listApps(call.globals) : runQuickStart(call.globals);
  return run.then(() => EXIT.ok, reportError);
}
