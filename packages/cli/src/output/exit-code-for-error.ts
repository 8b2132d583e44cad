import { EXIT, exitCodeFor, isOwlError } from '@owl/rpc';
import { printError } from './print.ts';

/** Prints an error the way every `owl` command does and returns its exit code. */
export function reportError(error: unknown): number {
  if (isOwlError(error)) {
    printError(error.message);
    return exitCodeFor(error.code);
  }
  printError(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return EXIT.failed;
}
