import { Argument, type Command } from 'commander';
import { RpcClient } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { connectTarget } from '../connect/with-client.ts';
import { printLine } from '../output/print.ts';
import { completeWords } from '../completion/complete-words.ts';
import { COMPLETION_SCRIPTS, type CompletionShell } from '../completion/shell-scripts.ts';

// A completion waits on a key press: a daemon that does not answer at once offers no app names.
const APP_NAMES_TIMEOUT_MS = 1_500;

async function appNames(home: string | undefined, command: Command): Promise<string[]> {
  try {
    const client = await RpcClient.connect(connectTarget({ ...globalOptions(command), ...(home ? { home } : {}) }), { callTimeoutMs: APP_NAMES_TIMEOUT_MS });
    try {
      return [...new Set((await client.call('apps.list', {})).map((row) => row.name))];
    } finally {
      await client.close();
    }
  } catch {
    return [];
  }
}

export function registerCompletionCommands(program: Command): void {
  program
    .command('completion')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(Object.keys(COMPLETION_SCRIPTS)))
    .description('print a completion script (commands, options, app names): owl completion bash >> ~/.bashrc')
    .action((shell: CompletionShell) => {
      process.stdout.write(COMPLETION_SCRIPTS[shell]);
    });

  program
    .command('__complete', { hidden: true })
    .argument('[words...]', 'the words after owl; the last one is under the cursor')
    .option('--new-word', 'the cursor starts a new word after the given ones')
    .description('candidates for the word under the cursor, one a line (used by the completion scripts)')
    .action(async (words: string[], options: { newWord?: boolean }, command: Command) => {
      const context = completeWords(program, options.newWord ? [...words, ''] : words.length === 0 ? [''] : words);
      const current = (options.newWord ? '' : words.at(-1)) ?? '';
      const names = context.appNames ? (await appNames(context.home, command)).filter((name) => name.startsWith(current)) : [];
      for (const word of [...context.words, ...names.filter((name) => !context.words.includes(name))]) printLine(word);
    });
}
