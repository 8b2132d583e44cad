import type { Command } from 'commander';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
  on?: string;
  /** --timeout: how long the daemon may stay silent (milliseconds, parsed at the boundary). */
  timeout?: number;
}

/** Global flags may stand before or after the subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}
