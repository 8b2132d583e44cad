import { describe, expect, it } from 'vitest';
import { globalOptions, type GlobalOptions } from '../../src/connect/global-options.ts';
import { createProgram } from '../../src/program.ts';
import { parseReadPathArgs } from '../../src/read-path/parse-read-path.ts';

/** What the full CLI makes of argv: the command whose action would run, and its global options. */
async function parseWithCommander(args: string[]): Promise<{ command: string; globals: GlobalOptions }> {
  const program = createProgram();
  let seen: { command: string; globals: GlobalOptions } | undefined;
  // Stops before the action: this reads argv only, no daemon is called.
  program.hook('preAction', (_program, action) => {
    seen = { command: action.name(), globals: globalOptions(action) };
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
];

describe('the read path reads argv as commander does', () => {
  it.each(ACCEPTED.map((args) => [args]))('%j: the same command and global options as the full CLI', async (args) => {
    const fast = parseReadPathArgs(args);
    expect(fast).toBeDefined();
    const full = await parseWithCommander(args);
    expect(full.command).toBe(fast?.command);
    expect(full.globals).toEqual(fast?.globals);
  });

  it.each(REJECTED.map((args) => [args]))('%j: left to the full CLI', (args) => {
    expect(parseReadPathArgs(args)).toBeUndefined();
  });
});
