#!/usr/bin/env node
import { EXIT, exitCodeFor, isOwlError } from '@owl/rpc';
import { printError } from '../output/print.ts';
import { parseQuickStart, runQuickStart } from '../daemon-control/quick-start.ts';

/** Runs the CLI; the only place that turns errors into exit codes. */
async function main(argv: string[]): Promise<number> {
  // Loaded after the quick `owl daemon start` had its chance (see quick-start.ts).
  let CommanderError: typeof import('commander').CommanderError | undefined;
  try {
    const quick = parseQuickStart(argv.slice(2));
    if (quick) {
      await runQuickStart(quick);
      return EXIT.ok;
    }
    const [commander, { createProgram }] = await Promise.all([import('commander'), import('../program.ts')]);
    CommanderError = commander.CommanderError;
    await createProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (CommanderError && error instanceof CommanderError) {
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
