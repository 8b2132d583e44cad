import type { Command } from 'commander';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
  on?: string;
  /** --timeout: how long the daemon may stay silent (milliseconds, parsed at the boundary). */
  timeout?: number;
}

/**
 * Global flags may stand before or after the subcommand. `--timeout` is read from the program
 * itself: a subcommand may have a `--timeout` of its own (`owl fleet restart --timeout 30s`
 * is how long to wait for the fleet's results), which must not become the answer deadline.
 */
export function globalOptions(command: Command): GlobalOptions {
  let program = command;
  while (program.parent) program = program.parent;
  const merged = command.optsWithGlobals() as GlobalOptions;
  const { timeout } = program.opts() as GlobalOptions;
  return { ...merged, timeout };
}
