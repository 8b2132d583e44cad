import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { OWL_BIN, runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture } from '@owl/test-support/apps';

/** Runs the bash completion function on a command line, the way bash does on Tab, with `owl` on PATH. */
function bashComplete(script: string, bin: string, home: string, words: string[]): string[] {
  const quoted = words.map((word) => `'${word}'`).join(' ');
  const program = `source "${script}"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _owl_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['-c', program], { env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, OWL_HOME: home }, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter((line) => line !== '');
}

function hasShell(shell: string): boolean {
  return spawnSync(shell, ['-c', 'exit 0']).status === 0;
}

/** A daemon with apps web and worker, `owl` as an executable on PATH, and the printed script for `shell`. */
async function completionSetup(shell: string): Promise<{ home: string; bin: string; script: string; env: NodeJS.ProcessEnv }> {
  const home = tempHome();
  const script = path.join(home, `owl.${shell}`);
  const printed = await runOwl(['completion', shell]);
  expect(printed.code).toBe(0);
  writeFileSync(script, printed.stdout);
  const bin = path.join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'owl'), `#!/bin/sh\nexec "${process.execPath}" "${OWL_BIN}" "$@"\n`);
  chmodSync(path.join(bin, 'owl'), 0o755);
  expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
  await startFixture(home, 'web', 'forever.mjs');
  await startFixture(home, 'worker', 'forever.mjs');
  return { home, bin, script, env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, OWL_HOME: home } };
}

describe('owl completion', () => {
  it('prints a bash script that completes commands, options and the daemon\'s app names', async () => {
    const { home, bin, script } = await completionSetup('bash');
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);

    expect(bashComplete(script, bin, home, ['owl', 'rel'])).toEqual(['reload']);
    expect(bashComplete(script, bin, home, ['owl', 'stop', 'w'])).toEqual(['web', 'worker']);
    expect(bashComplete(script, bin, home, ['owl', 'describe', 'wo'])).toEqual(['worker']);
    expect(bashComplete(script, bin, home, ['owl', 'reload', ''])).toEqual(['all', 'web', 'worker']);
    expect(bashComplete(script, bin, home, ['owl', 'logs', '--fo'])).toEqual(['--follow']);
    expect(bashComplete(script, bin, home, ['owl', 'daemon', 'st'])).toEqual(['start', 'stop', 'status']);
    expect(bashComplete(script, bin, home, ['owl', 'completion', 'z'])).toEqual(['zsh']);

    // The hidden command the scripts call, as PowerShell calls it (no empty argument).
    const hidden = await runOwl(['__complete', '--new-word', '--', 'restart'], { home });
    expect(hidden.stdout).toBe('all\nweb\nworker\n');
    expect((await runOwl(['--help'])).stdout).not.toContain('__complete');
  });

  // zsh and fish are not on every machine: without them these two tests skip.
  it.skipIf(!hasShell('fish'))('prints a fish script that completes through owl __complete', async () => {
    const { script, env } = await completionSetup('fish');
    const empty = mkdtempSync(path.join(tmpdir(), 'owl-fish-cwd-'));
    onTestFinished(() => rmSync(empty, { recursive: true, force: true }));
    expect(spawnSync('fish', ['-n', script]).status).toBe(0);
    const complete = (line: string): string[] => {
      const result = spawnSync('fish', ['-c', `source '${script}'; complete -C'${line}'`], { env, cwd: empty, encoding: 'utf8' });
      return result.stdout.split('\n').filter((entry) => entry !== '').map((entry) => entry.split('\t')[0] as string);
    };
    expect(complete('owl stop w')).toEqual(['web', 'worker']);
    expect(complete('owl relo')).toEqual(['reload']);
  });

  it.skipIf(!hasShell('zsh'))('prints a zsh script that parses and offers owl __complete\'s candidates', async () => {
    const { script, env } = await completionSetup('zsh');
    expect(spawnSync('zsh', ['-n', script]).status).toBe(0);
    // Outside an interactive completion, compadd and _files are stood in for, to see what _owl offers.
    const offered = (words: string[]): string => {
      const program = `compadd() { shift; print -l -- "$@"; }; _files() { print FILES; }; source '${script}'; words=(${words.map((word) => `'${word}'`).join(' ')}); CURRENT=${words.length}; _owl`;
      return spawnSync('zsh', ['-f', '-c', program], { env, encoding: 'utf8' }).stdout;
    };
    expect(offered(['owl', 'describe', 'w'])).toBe('web\nworker\n');
    expect(offered(['owl', 'start', '--cwd', ''])).toBe('FILES\n');
  });

  it('prints zsh, fish and PowerShell scripts, and refuses other shells in two lines', async () => {
    for (const [shell, registration] of [['zsh', 'compdef _owl owl'], ['fish', "complete -c owl -a '(__owl_complete)'"], ['powershell', 'Register-ArgumentCompleter -Native -CommandName owl']]) {
      const printed = await runOwl(['completion', shell as string]);
      expect(printed.code).toBe(0);
      expect(printed.stdout).toContain(registration);
      expect(printed.stdout).toContain('owl __complete');
    }
    const unknown = await runOwl(['completion', 'tcsh']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("owl: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish, powershell.\nusage: owl completion [options] <shell>  (more: owl completion --help)\n");
  });
});
