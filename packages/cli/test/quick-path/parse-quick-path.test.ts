import { describe, expect, it } from 'vitest';
import { globalOptions, type GlobalOptions } from '../../src/connect/global-options.ts';
import { createProgram } from '../../src/program.ts';
import { parseQuickPathArgs } from '../../src/quick-path/parse-quick-path.ts';

/** What the full CLI makes of argv: the command whose action would run, and its global options. */
async function parseWithCommander(args: string[]): Promise<{ command: string; globals: GlobalOptions }> {
  const program = createProgram();
  let seen: { command: string; globals: GlobalOptions } | undefined;
  // Stops before the action: this reads argv only, no daemon is called.
  program.hook('preAction', (_program, action) => {
    const names: string[] = [];
    for (let command: typeof action | null = action; command.parent !== null; command = command.parent) names.unshift(command.name());
    seen = { command: names.join(' '), globals: globalOptions(action) };
    throw new Error('parsed');
  });
  await program.parseAsync(['node', 'owl', ...args]).catch((error: unknown) => {
    if (!(error instanceof Error && error.message === 'parsed')) throw error;
  });
  if (seen === undefined) throw new Error(`commander ran no action for ${args.join(' ')}`);
  return seen;
}

const ACCEPTED: string[][] = [
  ['ls'],
  ['list'],
  ['ls', '--json'],
  ['--json', 'ls'],
  ['--home', '/tmp/h', 'ls', '--json'],
  ['ls', '--home=/tmp/h'],
  ['ls', '--home', '/a', '--home', '/b'],
  ['--home', 'ls', 'ls'],
  ['--home', '--json', 'ls'],
  ['ls', '--home='],
  ['ls', '--timeout', '2s'],
  ['--timeout=500ms', 'list', '--json'],
  ['ls', '--timeout', '1m', '--timeout', '3'],
  ['ls', '--on', 'prod'],
  ['--on=', 'ls'],
  ['--json', '--json', 'ls'],
  ['daemon', 'start'],
  ['--home', '/h', 'daemon', 'start'],
  ['daemon', 'start', '--json', '--home=/h'],
  ['daemon', '--home', '/a', 'start', '--home', '/b'],
];

// Each goes to the full CLI, which answers with its own error, help or version.
const REJECTED: string[][] = [
  [],
  ['--json'],
  ['ls', '--bogus'],
  ['ls', '-x'],
  ['ls', 'extra'],
  ['ls', 'ls'],
  ['ls', 'list'],
  ['ls', '--'],
  ['ls', '--', 'x'],
  ['ls', '--home'],
  ['--timeout', 'ls'],
  ['ls', '--timeout', '0'],
  ['ls', '--timeout=2h'],
  ['ls', '--timeout', 'soon'],
  ['ls', '--json=yes'],
  ['ls', '--help'],
  ['ls', '-h'],
  ['--version', 'ls'],
  ['-V'],
  ['help', 'ls'],
  ['LS'],
  ['l'],
  ['ps'],
  ['describe', 'web'],
  ['ls', '--home-dir', '/x'],
  ['ls', '-'],
  ['constructor'],
  ['toString'],
  ['daemon'],
  ['daemon', 'stop'],
  ['daemon', 'start', 'extra'],
  ['start', 'daemon'],
  ['daemon', 'start', '--tcp', '127.0.0.1:0'],
  ['daemon', 'start', '--tls'],
  ['--timeout', '10s', 'daemon', 'start'],
  ['--on', 'prod', 'daemon', 'start'],
  ['daemon', 'start', '--help'],
  ['daemon', 'start', '-h'],
  ['daemon', 'start', '--home'],
  ['daemon', 'start', '--'],
];

describe('the quick path reads argv as commander does', () => {
  it.each(ACCEPTED.map((args) => [args]))('%j: the same command and global options as the full CLI', async (args) => {
    const fast = parseQuickPathArgs(args);
    expect(fast).toBeDefined();
    const full = await parseWithCommander(args);
    expect(full.command).toBe(fast?.command);
    expect(full.globals).toEqual(fast?.globals);
  });

  it.each(REJECTED.map((args) => [args]))('%j: left to the full CLI', (args) => {
    expect(parseQuickPathArgs(args)).toBeUndefined();
  });
});
