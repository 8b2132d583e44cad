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
  if (command.commands.length > 0) replaceHelpOnMissingCommand(command);
  for (const sub of command.commands) configureUsageErrors(sub);
}

/**
 * `owl daemon` without a subcommand: commander answers with the full help as an error; say
 * instead which commands there are (commander calls help({ error: true }) only for this).
 */
function replaceHelpOnMissingCommand(command: Command): void {
  const help = command.help.bind(command);
  command.help = ((context?: { error: boolean }) => {
    if (!context?.error) return help(context);
    const names = command.commands.filter((sub) => !(sub as unknown as { _hidden?: boolean })._hidden).map((sub) => sub.name());
    const message = command.parent === null ? 'no command given (e.g. owl start app.js, owl ls)' : `${command.name()} needs a command: ${names.join(', ')}`;
    return command.error(message, { exitCode: 2, code: 'owl.usage' });
  }) as Command['help'];
}
