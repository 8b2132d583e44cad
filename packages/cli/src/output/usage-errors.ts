import type { Command } from 'commander';

/** `owl daemon start`, for the command's own usage line. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let node: Command | null = command; node; node = node.parent) names.unshift(node.name());
  return names.join(' ');
}

/**
 * Commander's "error: missing required argument 'name'" as two lines: what was wrong, and the
 * usage line that fixes it. The full help is only for --help: 40 lines of options bury the one
 * line a mistyped command needs.
 */
export function formatUsageError(command: Command, text: string): string {
  const message = text
    .trim()
    .replace(/^error: /, '')
    .replace(/\n\((Did you mean [^)]*)\)/, ' ($1)');
  const name = commandPath(command);
  const isRoot = command.parent === null;
  const usage = isRoot ? 'see: owl --help' : `usage: ${name} ${command.usage()}  (more: ${name} --help)`;
  return `owl: ${message}\n${usage}\n`;
}

/** Applies the short usage errors and the exit override to every command, however deep. */
export function configureUsageErrors(command: Command): void {
  command
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(formatUsageError(command, text)),
    });
  for (const sub of command.commands) configureUsageErrors(sub);
}
