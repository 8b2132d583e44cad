import { readdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isExecutableFile } from './executable-file.ts';
import { readEnvironmentVariable, readPathExtensions, readSearchPath, type Environment } from './search-path.ts';

export interface SuggestExecutablesOptions {
  cwd: string;
  env: Environment;
  /** At most this many suggestions (default 5). */
  limit?: number;
}

// Extensions that do not change what a user means by a command's name.
const IGNORED_EXTENSIONS = ['.exe', '.cmd', '.bat', '.com', '.ps1', '.sh', '.js', '.mjs', '.cjs', '.py'];

// Below this length a one-letter typo matches too many unrelated tools (ls, ln, ps...).
const MIN_TYPO_LENGTH = 5;

/**
 * Finds executables the user may have meant by a command that could not be resolved: files
 * with the same base name (case-insensitive, ignoring extensions like .exe, .cmd, .sh, .py),
 * then names one typo away ("nodee" -> node). Searched, in this order: the command's own
 * directory and its parent (for a path), cwd, every PATH directory, then common places
 * (/usr/local/bin, /usr/bin, /opt/<x>/bin, ~/bin, ~/.local/bin; on Windows Program Files\<x>).
 *
 * @example
 * await suggestExecutables('tool', { cwd, env }); // ['/home/me/bin/tool.sh']
 */
export async function suggestExecutables(command: string, options: SuggestExecutablesOptions): Promise<string[]> {
  const extensions = ignoredExtensions(options.env);
  const wanted = normalizeName(basename(command), extensions);
  if (wanted === '') return [];
  const directories = await listSuggestionDirectories(command, options);
  const listings = await Promise.all(directories.map((directory) => listDirectory(directory)));
  const files = directories.flatMap((directory, index) => (listings[index] ?? []).map((name) => join(directory, name)));
  const named = (file: string): string => normalizeName(basename(file), extensions);
  const ranked = [
    ...files.filter((file) => named(file) === wanted),
    ...files.filter((file) => wanted.length >= MIN_TYPO_LENGTH && isOneEditApart(named(file), wanted)),
  ];
  return pickExecutables(ranked, extensions, options.limit ?? 5);
}

async function pickExecutables(candidates: readonly string[], extensions: readonly string[], limit: number): Promise<string[]> {
  const picked: string[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (picked.length >= limit) break;
    if (!isExecutableCandidate(candidate, extensions)) continue;
    // /bin/node and /usr/bin/node are one file on merged-/usr systems: suggest it once.
    const real = await realpath(candidate).catch(() => candidate);
    if (seen.has(real)) continue;
    seen.add(real);
    picked.push(candidate);
  }
  return picked;
}

function isExecutableCandidate(file: string, extensions: readonly string[]): boolean {
  // Windows has no execute bit: only files with a runnable extension count.
  if (process.platform === 'win32' && !extensions.includes(extname(file).toLowerCase())) return false;
  return isExecutableFile(file);
}

async function listSuggestionDirectories(command: string, options: SuggestExecutablesOptions): Promise<string[]> {
  const near: string[] = [];
  if (/[\\/]/.test(command)) {
    const own = dirname(resolve(options.cwd, command));
    near.push(own, dirname(own));
  }
  const common = process.platform === 'win32' ? await listWindowsCommonDirectories(options.env) : await listPosixCommonDirectories(options.env);
  return [...new Set([...near, options.cwd, ...readSearchPath(options.env, options.cwd), ...common])];
}

async function listPosixCommonDirectories(env: Environment): Promise<string[]> {
  const home = readEnvironmentVariable(env, 'HOME') ?? homedir();
  const optBins = (await listDirectory('/opt')).map((name) => join('/opt', name, 'bin'));
  return ['/usr/local/bin', '/usr/bin', '/bin', ...optBins, join(home, 'bin'), join(home, '.local', 'bin')];
}

async function listWindowsCommonDirectories(env: Environment): Promise<string[]> {
  const roots = [readEnvironmentVariable(env, 'ProgramFiles') ?? 'C:\\Program Files', readEnvironmentVariable(env, 'ProgramFiles(x86)')];
  const directories: string[] = [];
  for (const root of roots) {
    if (root === undefined) continue;
    for (const name of await listDirectory(root)) directories.push(join(root, name), join(root, name, 'bin'));
  }
  return directories;
}

async function listDirectory(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch {
    return [];
  }
}

function ignoredExtensions(env: Environment): string[] {
  const pathExtensions = process.platform === 'win32' ? readPathExtensions(env) : [];
  return [...new Set([...IGNORED_EXTENSIONS, ...pathExtensions])];
}

function normalizeName(name: string, extensions: readonly string[]): string {
  const lower = name.toLowerCase();
  const extension = extname(lower);
  return extensions.includes(extension) ? lower.slice(0, -extension.length) : lower;
}

/** True when b is a with exactly one character inserted, deleted or substituted. */
function isOneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  return endA - start <= 1 && endB - start <= 1;
}
