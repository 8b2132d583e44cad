import type { Command } from 'commander';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
  on?: string;
}

/** Global flags may stand before or after the subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}
