import { parseTimeoutOption } from '../connect/answer-deadline.ts';
import type { GlobalOptions } from '../connect/global-options.ts';

/** The commands the quick path serves, by the words that name them (aliases included). */
const QUICK_COMMANDS: Readonly<Record<string, QuickCommand>> = { ls: 'list', list: 'list', 'daemon start': 'daemon start' };

export type QuickCommand = 'list' | 'daemon start';

export interface QuickPathCall {
  command: QuickCommand;
  globals: GlobalOptions;
}

type ValueOption = 'home' | 'on' | 'timeout';
const VALUE_OPTIONS: ReadonlySet<string> = new Set<ValueOption>(['home', 'on', 'timeout']);

/**
 * Reads `owl [globals] ls [globals]` and `owl [--home DIR] [--json] daemon start` the way
 * commander reads them (a value option takes the next word whatever it is, `--flag=value`
 * works, the last occurrence wins), or returns undefined for anything else: a bad, unknown or
 * extra word, a missing value, help, version, `--`, and `daemon start` with --on, --timeout or
 * its own flags. Those go to the full CLI, so they get its exact errors and exit codes; a
 * wrong guess here can only cost speed, never change what `owl` answers.
 */
export function parseQuickPathArgs(args: readonly string[]): QuickPathCall | undefined {
  const words: string[] = [];
  const globals: GlobalOptions = {};
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] as string;
    if (word === '--json') {
      globals.json = true;
      continue;
    }
    if (word.startsWith('-')) {
      const equals = word.indexOf('=');
      const name = word.startsWith('--') ? word.slice(2, equals === -1 ? undefined : equals) : '';
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
    words.push(word);
  }
  const named = words.join(' ');
  const command = Object.hasOwn(QUICK_COMMANDS, named) ? QUICK_COMMANDS[named] : undefined;
  if (command === undefined) return undefined;
  // A remote or a deadline for the start: the full command handles them.
  if (command === 'daemon start' && (globals.on !== undefined || globals.timeout !== undefined)) return undefined;
  return { command, globals };
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
