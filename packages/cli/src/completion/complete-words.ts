import type { Command, Option } from 'commander';

/** What the word under the cursor can be: fixed words, and whether app names fit there too. */
export interface CompletionContext {
  words: string[];
  appNames: boolean;
  /** `--home DIR` given earlier on the line: app names come from that daemon. */
  home?: string;
}

// Arguments that name an app (and so complete with the daemon's app names).
const APP_ARGUMENTS = new Set(['name', 'app-or-script']);

function isHidden(command: Command): boolean {
  return (command as unknown as { _hidden?: boolean })._hidden === true;
}

function findOption(options: readonly Option[], word: string): Option | undefined {
  const flag = word.split('=')[0];
  return options.find((option) => option.long === flag || option.short === flag);
}

function optionWords(command: Command, root: Command): string[] {
  const options = command === root ? root.options : [...command.options, ...root.options];
  return [...options.flatMap((option) => [option.long, option.short]).filter((flag): flag is string => flag !== undefined), '--help'];
}

/**
 * Completes the last of `words` (the words after `owl`, the last one being the partial word
 * under the cursor) against the command tree: subcommands, options, and app names where a
 * command takes one. Pure: the caller fetches the app names.
 */
export function completeWords(root: Command, words: readonly string[]): CompletionContext {
  const current = words.at(-1) ?? '';
  let command = root;
  let operands = 0;
  let home: string | undefined;
  let expectsValue: Option | undefined;
  for (const word of words.slice(0, -1)) {
    const options = command === root ? root.options : [...command.options, ...root.options];
    if (expectsValue) {
      if (expectsValue.long === '--home') home = word;
      expectsValue = undefined;
      continue;
    }
    if (word === '--') return { words: [], appNames: false, home };
    if (word.startsWith('-')) {
      const option = findOption(options, word);
      if (option && (option.required || option.optional) && !word.includes('=')) expectsValue = option;
      continue;
    }
    const sub = command.commands.find((candidate) => candidate.name() === word || candidate.aliases().includes(word));
    if (sub && operands === 0) command = sub;
    else operands += 1;
  }
  // A value of an option (a directory, a number): nothing to offer but the shell's own files.
  if (expectsValue) return { words: [], appNames: false, home };
  const matching = (candidates: string[]): string[] => candidates.filter((candidate) => candidate.startsWith(current));
  if (current.startsWith('-')) return { words: matching(optionWords(command, root)), appNames: false, home };
  const subcommands = operands === 0 ? command.commands.filter((sub) => !isHidden(sub)).flatMap((sub) => [sub.name(), ...sub.aliases()]) : [];
  const argument = command.registeredArguments[operands] ?? command.registeredArguments.at(-1);
  const takesApp = argument !== undefined && APP_ARGUMENTS.has(argument.name()) && (operands === 0 || argument.variadic);
  const all = takesApp && (argument?.description ?? '').includes('"all"') ? ['all'] : [];
  const choices = argument?.argChoices ?? [];
  return { words: matching([...subcommands, ...all, ...choices]), appNames: takesApp && command !== root, home };
}
