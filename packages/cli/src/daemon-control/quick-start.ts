import type { GlobalOptions } from '../connect/global-options.ts';

/**
 * Cold start is two Node starts, the CLI's and owld's: the quick path (src/quick-path) runs a
 * plain `owl [--home DIR] [--json] daemon start` without building the commander program (most
 * of the CLI's own start), so owld is spawned sooner. This does what the `daemon start`
 * command does, loading only the spawning code.
 */
export async function runQuickStart(globals: Pick<GlobalOptions, 'home' | 'json'>): Promise<void> {
  const [{ resolveCliHome }, { startDaemon }, { printStarted }] = await Promise.all([import('../connect/resolve-home.ts'), import('./start-daemon.ts'), import('./print-started.ts')]);
  const home = resolveCliHome(globals.home);
  await printStarted(home, await startDaemon(home), globals.json === true, 'started');
}
