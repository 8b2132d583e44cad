/** `owl daemon start` with no flags but --home and --json, as the CLI's entry recognizes it. */
export interface QuickStart {
  home: string | undefined;
  json: boolean;
}

/**
 * Cold start is two Node starts, the CLI's and owld's: the CLI's entry runs this plain
 * `owl [--home DIR] [--json] daemon start` without building the commander program (most of
 * its own start), so owld is spawned sooner. Any other argv (plane flags, --timeout, --on,
 * help, a typo) is null, and commander parses it as ever. Flags stand before or after the
 * words, as global options do.
 */
export function parseQuickStart(args: readonly string[]): QuickStart | null {
  let home: string | undefined;
  let json = false;
  const words: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    const next = args[index + 1];
    if (arg === '--json') json = true;
    else if (arg === '--home' && next !== undefined && !next.startsWith('-')) {
      home = next;
      index += 1;
    } else if (arg.startsWith('--home=')) home = arg.slice('--home='.length);
    else if (arg.startsWith('-')) return null;
    else words.push(arg);
  }
  return words.length === 2 && words[0] === 'daemon' && words[1] === 'start' ? { home, json } : null;
}

/** Does what the `daemon start` command does, loading only the spawning code. */
export async function runQuickStart(quick: QuickStart): Promise<void> {
  const [{ resolveCliHome }, { startDaemon }, { printStarted }] = await Promise.all([import('../connect/resolve-home.ts'), import('./start-daemon.ts'), import('./print-started.ts')]);
  const home = resolveCliHome(quick.home);
  await printStarted(home, await startDaemon(home), quick.json, 'started');
}
