import { stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { OwlError } from '@owl/rpc';
import { isExecutableFile } from './executable-file.ts';
import { readPathExtensions, readSearchPath, type Environment } from './search-path.ts';
import { suggestExecutables } from './suggest-executables.ts';

export interface ResolveExecutableOptions {
  /** Directory the app runs in: relative commands and PATH entries resolve against it. */
  cwd: string;
  /** The app's environment: its PATH (and PATHEXT on Windows) is searched, not the daemon's. */
  env: Environment;
}

/**
 * Resolves an app's command to the absolute path of an executable file, before spawning, so a
 * missing executable is reported with suggestions instead of a bare ENOENT.
 * A command with a path separator resolves against cwd; a bare name is searched on PATH
 * (on Windows: cwd first, as Node's spawn does, and with each PATHEXT extension, ignoring case).
 * Throws OWL_EXECUTABLE_NOT_FOUND with `data: { command, suggestions }` otherwise.
 *
 * @example
 * await resolveExecutable('node', { cwd: process.cwd(), env: process.env }); // '/usr/bin/node'
 */
export async function resolveExecutable(command: string, options: ResolveExecutableOptions): Promise<string> {
  const found = findCommand(command, options);
  if (found !== null) return found;
  throw await createNotFoundError(command, options);
}

/**
 * The executable `command` names, or null. Synchronous (a few stat calls on the PATH, which the
 * kernel caches): it runs before every spawn, and each await of the thread pool there delays
 * a crashed app's relaunch by a turn of a pool that log tails and state writes keep busy.
 */
export function findCommand(command: string, options: ResolveExecutableOptions): string | null {
  if (/[\\/]/.test(command)) return findExecutable(resolve(options.cwd, command), options.env);
  if (command === '') return null;
  const searched = readSearchPath(options.env, options.cwd);
  const directories = process.platform === 'win32' ? [options.cwd, ...searched] : searched;
  for (const directory of directories) {
    const found = findExecutable(join(directory, command), options.env);
    if (found !== null) return found;
  }
  return null;
}

function findExecutable(file: string, env: Environment): string | null {
  if (process.platform !== 'win32') return isExecutableFile(file) ? file : null;
  // As cmd.exe does: a name that already has an extension is tried as is, then with each PATHEXT.
  const candidates = extname(file) === '' ? [] : [file];
  candidates.push(...readPathExtensions(env).map((extension) => file + extension));
  return candidates.find((candidate) => isExecutableFile(candidate)) ?? null;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isFile(),
    () => false,
  );
}

async function createNotFoundError(command: string, options: ResolveExecutableOptions): Promise<OwlError> {
  let problem = `not found in PATH or ${options.cwd}`;
  if (/[\\/]/.test(command)) {
    const target = resolve(options.cwd, command);
    problem = (await isFile(target)) ? `at ${target} is not executable` : `not found at ${target}`;
  }
  const suggestions = await suggestExecutables(command, options);
  const hint = suggestions.length === 0 ? '' : `; did you mean: ${suggestions.join(', ')}?`;
  return new OwlError('OWL_EXECUTABLE_NOT_FOUND', `executable "${command}" ${problem}${hint}`, { data: { command, suggestions } });
}
