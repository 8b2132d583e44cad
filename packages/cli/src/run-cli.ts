import { CommanderError } from 'commander';
import { EXIT } from '@owl/rpc';
import { createProgram } from './program.ts';
import { reportError } from './output/exit-code-for-error.ts';

/** Runs the full CLI (commander and every command); the place that turns errors into exit codes. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error);
  }
}
