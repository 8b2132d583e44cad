import { homedir } from 'node:os';
import path from 'node:path';

/** Same rule as the daemon: --home, then $OWL_HOME, then ~/.owl. */
export function resolveCliHome(explicit: string | undefined): string {
  return path.resolve(explicit ?? process.env.OWL_HOME ?? path.join(homedir(), '.owl'));
}
