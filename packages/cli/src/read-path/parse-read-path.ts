import { parseTimeoutOption } from '../connect/answer-deadline.ts';
import type { GlobalOptions } from '../connect/global-options.ts';

/** The commands the read path serves (with their aliases), without commander. */
const READ_COMMANDS: Readonly<Record<string, 'list'>> = { ls: 'list', list: 'list' };

export interface ReadPathCall {
  command: 'list';
  globals: GlobalOptions;
}

type ValueOption = 'home' | 'on' | 'timeout';
const VALUE_OPTIONS: ReadonlySet<string> = new Set<ValueOption>(['home', 'on', 'timeout']);

/**
 * Reads `owl [globals] ls [globals]` the way commander reads it (a value option takes the next
 * word whatever it is, `--flag=value` works, the last occurrence wins), or returns undefined for
 * anything else: a bad, unknown or extra word, a missing value, help, version, `--`. Those go to
 * the full CLI, so they get its exact errors and exit codes; a wrong guess here can only cost
 * speed, never change what `owl` answers.
 */
export function parseReadPathArgs(args: readonly string[]): ReadPathCall | undefined {
  let command: 'list' | undefined;
  const globals: GlobalOptions = {};
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] as string;
    if (word === '--json') {
      globals.json = true;
      continue;
    }
    if (word.startsWith('--')) {
      const equals = word.indexOf('=');
      const name = word.slice(2, equals === -1 ? undefined : equals);
      if (!VALUE_OPTIONS.has(name)) return undefined;
      let value: string | undefined;
      if (equals === -1) {
        index += 1;
        value = args[index];
      } else {
        value = word.slice(equals + 1);
      }
      if (value === undefined || !setValueOption(globals, name as ValueOption, value)) return undefined;
      continue;
    }
    const named = Object.hasOwn(READ_COMMANDS, word) ? READ_COMMANDS[word] : undefined;
    if (named === undefined || command !== undefined) return undefined;
    command = named;
  }
  return command === undefined ? undefined : { command, globals };
}

/** False where the full CLI would reject the value (it then says why). */
function setValueOption(globals: GlobalOptions, name: ValueOption, value: string): boolean {
  if (name !== 'timeout') {
    globals[name] = value;
    return true;
  }
  try {
    globals.timeout = parseTimeoutOption(value);
    return true;
  } catch {
    return false;
  }
}
