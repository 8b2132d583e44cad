import { EXIT } from '@owl/rpc';
import { listApps } from '../commands/apps.ts';
import { reportError } from '../output/exit-code-for-error.ts';
import { parseReadPathArgs } from './parse-read-path.ts';

/**
 * `owl ls` (and `owl list`) without commander: the same call and output as the full CLI's
 * command, for the command a user and a script run most. Undefined when argv is anything else.
 */
export function runReadPath(argv: readonly string[]): Promise<number> | undefined {
  const call = parseReadPathArgs(argv.slice(2));
  if (call === undefined) return undefined;
  return listApps(call.globals).then(() => EXIT.ok, reportError);
}
