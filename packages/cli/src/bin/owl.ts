#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT, exitCodeFor, isOwlError } from '@owl/rpc';
import { createProgram } from '../program.ts';
import { printError } from '../output/print.ts';

/** Runs the CLI; the only place that turns errors into exit codes. */
async function main(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isOwlError(error)) {
      printError(error.message);
      return exitCodeFor(error.code);
    }
    printError(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return EXIT.failed;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
