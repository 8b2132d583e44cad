import type { GlobalOptions } from '../connect/global-options.ts';
import { resolveCliHome } from '../connect/resolve-home.ts';
import { printStarted } from './print-started.ts';
import { startDaemon } from './start-daemon.ts';

/**
 * Cold start is two Node starts, the CLI's and owld's: the quick path (src/quick-path) runs a
 * plain `owl [--home DIR] [--json] daemon start` without building the commander program (most
 * of the CLI's own start), so owld is spawned sooner. This does what the `daemon start`
 * command does, loading only the spawning code (this module is itself loaded on demand).
 */
export async function runQuickStart(globals: Pick<GlobalOptions, 'home' | 'json'>): Promise<void> {
  const home = resolveCliHome(globals.home);
  await printStarted(home, await startDaemon(home), globals.json === true, 'started');
}
