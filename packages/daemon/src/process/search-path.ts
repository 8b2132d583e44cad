import { delimiter, resolve } from 'node:path';

export type Environment = Readonly<Record<string, string | undefined>>;

// What cmd.exe uses when PATHEXT is unset.
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/**
 * The directories of the PATH in env, resolved against cwd, empty entries dropped (an empty
 * entry would mean "the cwd" and let a file there shadow a system binary).
 * Variable names are case-insensitive on Windows (`Path` is common there).
 */
export function readSearchPath(env: Environment, cwd: string): string[] {
  const value = readEnvironmentVariable(env, 'PATH') ?? '';
  return value
    .split(delimiter)
    .map((entry) => entry.trim().replace(/^"(.*)"$/, '$1'))
    .filter((entry) => entry !== '')
    .map((entry) => resolve(cwd, entry));
}

/** Windows PATHEXT as lower-case extensions with the dot, e.g. ['.com', '.exe', '.bat', '.cmd']. */
export function readPathExtensions(env: Environment): string[] {
  const value = readEnvironmentVariable(env, 'PATHEXT') ?? DEFAULT_PATHEXT;
  return value
    .split(';')
    .map((extension) => extension.trim().toLowerCase())
    .filter((extension) => extension.startsWith('.'));
}

/** Reads a variable, ignoring case on Windows as the OS does. */
export function readEnvironmentVariable(env: Environment, name: string): string | undefined {
  if (process.platform !== 'win32') return env[name];
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}
