import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { isOwlError, type OwlError } from '@owl/rpc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { resolveExecutable } from '../../src/process/resolve-executable.ts';

async function makeTempDirectory(): Promise<string> {
  // realpath: macOS tmpdir is a symlink, and messages name the real directories.
  const directory = await realpath(await mkdtemp(join(tmpdir(), 'owl-resolve-')));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

async function writeExecutable(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, '#!/bin/sh\nexit 0\n');
  await chmod(file, 0o755);
}

async function resolveFailure(command: string, options: Parameters<typeof resolveExecutable>[1]): Promise<OwlError> {
  const error = await resolveExecutable(command, options).then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!isOwlError(error)) throw new Error(`expected an OwlError for "${command}", got ${String(error)}`);
  return error;
}

describe.skipIf(process.platform === 'win32')('resolveExecutable (POSIX)', () => {
  it('finds node on PATH', async () => {
    const cwd = await makeTempDirectory();
    const nodeDirectory = dirname(process.execPath);
    expect(await resolveExecutable('node', { cwd, env: { PATH: nodeDirectory } })).toBe(join(nodeDirectory, 'node'));
  });

  it('resolves a relative path against cwd', async () => {
    const cwd = await makeTempDirectory();
    await writeExecutable(join(cwd, 'bin', 'run.sh'));
    expect(await resolveExecutable('./bin/run.sh', { cwd, env: {} })).toBe(join(cwd, 'bin', 'run.sh'));
  });

  it('fails with OWL_EXECUTABLE_NOT_FOUND and no suggestions for an unknown name', async () => {
    const cwd = await makeTempDirectory();
    const error = await resolveFailure('owl-no-such-command-4f2a', { cwd, env: { PATH: join(cwd, 'bin'), HOME: cwd } });
    expect(error.code).toBe('OWL_EXECUTABLE_NOT_FOUND');
    expect(error.message).toBe(`executable "owl-no-such-command-4f2a" not found in PATH or ${cwd}`);
    expect(error.data).toEqual({ command: 'owl-no-such-command-4f2a', suggestions: [] });
  });

  it('suggests an executable with the same base name found on PATH', async () => {
    const cwd = await makeTempDirectory();
    const tool = join(cwd, 'bin', 'tool.sh');
    await writeExecutable(tool);
    const error = await resolveFailure('tool', { cwd, env: { PATH: join(cwd, 'bin'), HOME: cwd } });
    expect(error.code).toBe('OWL_EXECUTABLE_NOT_FOUND');
    expect(error.message).toBe(`executable "tool" not found in PATH or ${cwd}; did you mean: ${tool}?`);
    expect(error.data).toEqual({ command: 'tool', suggestions: [tool] });
  });

  it('suggests a name one typo away', async () => {
    const cwd = await makeTempDirectory();
    const nodeDirectory = dirname(process.execPath);
    const error = await resolveFailure('nodee', { cwd, env: { PATH: nodeDirectory, HOME: cwd } });
    expect((error.data?.['suggestions'] as string[])[0]).toBe(join(nodeDirectory, 'node'));
  });

  it('names the resolved path of a missing path command and suggests from its directory', async () => {
    const cwd = await makeTempDirectory();
    const script = join(cwd, 'bin', 'Server.py');
    await writeExecutable(script);
    const error = await resolveFailure('bin/server', { cwd, env: { PATH: '', HOME: cwd } });
    expect(error.message).toBe(`executable "bin/server" not found at ${join(cwd, 'bin', 'server')}; did you mean: ${script}?`);
  });

  it('rejects a file without execute permission and skips it on PATH', async () => {
    const cwd = await makeTempDirectory();
    const first = join(cwd, 'first');
    const second = join(cwd, 'second');
    await writeExecutable(join(first, 'app'));
    await chmod(join(first, 'app'), 0o644);
    await writeExecutable(join(second, 'app'));
    expect(await resolveExecutable('app', { cwd, env: { PATH: [first, second].join(delimiter) } })).toBe(join(second, 'app'));
    const error = await resolveFailure('./first/app', { cwd, env: { PATH: second, HOME: cwd } });
    expect(error.message).toBe(`executable "./first/app" at ${join(first, 'app')} is not executable; did you mean: ${join(second, 'app')}?`);
  });
});
