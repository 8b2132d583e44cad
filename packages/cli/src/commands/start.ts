import path from 'node:path';
import type { Command } from 'commander';
import { OwlError, type RpcClient } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { printJson, printLine } from '../output/print.ts';
import { appNameFrom, resolveScriptLaunch } from '../start/script-launch.ts';
import { addAppFlags, specFromFlags } from './app-flags.ts';
import { renderAppRows } from './apps.ts';
import { validateSpecFromFlags } from './validate-spec.ts';

type StartOptions = Record<string, unknown> & { name?: string; interpreter?: string; cwd?: string };

/** The words after `--`: commander appends them to the variadic argument, so count them in the raw argv. */
function wordsAfterDashes(command: Command): string[] {
  const raw = (command.parent as Command & { rawArgs: string[] }).rawArgs;
  const dashes = raw.indexOf('--');
  return dashes === -1 ? [] : raw.slice(dashes + 1);
}

function usage(message: string, fix: string): OwlError {
  return new OwlError('OWL_USAGE', `${message}\nusage: ${fix}`);
}

async function createAndStart(client: RpcClient, flags: Record<string, unknown>) {
  const spec = await validateSpecFromFlags(flags);
  const applied = await client.call('apps.create', { spec, start: true });
  const rows = (await client.call('apps.list', {})).filter((row) => row.name === spec.name);
  return { ...applied, apps: rows };
}

/** `owl start <app|script|command> [options] [-- args]`, once the daemon is known to lack an app of that name. */
async function specFromScript(target: string, after: string[], options: StartOptions): Promise<Record<string, unknown>> {
  const cwd = path.resolve(process.cwd(), options.cwd ?? '.');
  const launch = await resolveScriptLaunch(target, { cwd, interpreter: options.interpreter });
  if (launch === null) {
    throw new OwlError('OWL_NOT_FOUND', `"${target}" is not an app, nor a file (no ${path.resolve(cwd, target)}), nor a command on PATH`, { data: { name: target } });
  }
  return specFromFlags({ ...options, name: options.name ?? appNameFrom(target) }, [launch.command, ...launch.args, ...after]);
}

async function startAction(words: string[], options: StartOptions, command: Command): Promise<void> {
  const globals = globalOptions(command);
  const after = wordsAfterDashes(command);
  const before = words.slice(0, words.length - after.length);
  if (before.length > 1) {
    throw usage(`start takes one app or script, received ${before.length} words: ${before.join(' ')}`, `owl start --name ${appNameFrom(before[1] as string)} -- ${before.join(' ')}`);
  }
  if (before.length === 0 && options.name === undefined) {
    if (after.length === 0) throw usage('start: nothing to start', 'owl start <app | script.js> [-- args], or owl start --name NAME -- COMMAND [ARGS...]');
    const script = after.find((word, index) => index > 0 && !word.startsWith('-')) ?? (after[0] as string);
    throw usage('start: a command after -- needs --name', `owl start --name ${appNameFrom(script)} -- ${after.join(' ')}`);
  }
  const target = before[0];
  const result = await withClient(globals, async (client) => {
    if (target === undefined) return createAndStart(client, specFromFlags(options, after));
    const plainStart = options.name === undefined && options.interpreter === undefined && after.length === 0;
    if (plainStart && (target === 'all' || (await client.call('apps.list', {})).some((row) => row.name === target))) {
      return client.call('apps.start', { target });
    }
    return createAndStart(client, await specFromScript(target, after, options));
  });
  if (globals.json) printJson(result);
  else if ('apps' in result) printLine(renderAppRows(result.apps));
  else printLine(`started: ${result.names.join(', ') || '(no apps)'}`);
}

export function registerStartCommand(program: Command): void {
  addAppFlags(
    program
      .command('start')
      .argument('[app-or-script]', 'a known app (or "all"), a script (app.js, job.py, run.sh) or a command on PATH')
      .argument('[args...]', 'arguments for the script, after --')
      .usage('<app | script> [options] [-- args...]  |  --name NAME [options] -- COMMAND [ARGS...]')
      .description('start an app, or create one from a script: owl start app.js, owl start --name web -- node server.js')
      .option('--interpreter <command>', 'run the script with this (default from its extension; "none" runs it directly)'),
  ).action((first: string | undefined, rest: string[], options: StartOptions, command: Command) =>
    startAction(first === undefined ? rest : [first, ...rest], options, command),
  );
}
