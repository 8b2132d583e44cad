import { accessSync, constants, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OwlError } from '@owl/rpc';

/** Writes `content` unless the file already holds it; says which, so a repeated install reports no change. */
export function writeFileIfChanged(file: string, content: string, mode = 0o644): 'created' | 'updated' | 'unchanged' {
  let previous: string | null = null;
  try {
    previous = readFileSync(file, 'utf8');
  } catch {
    previous = null;
  }
  if (previous === content) return 'unchanged';
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content, { mode });
  return previous === null ? 'created' : 'updated';
}

/** A symlink at `link` pointing to `target`; an existing one pointing elsewhere is replaced. */
export function ensureSymlink(link: string, target: string): 'created' | 'unchanged' {
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) return 'unchanged';
    rmSync(link, { force: true });
  } catch {
    // Not there yet.
  }
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(target, link);
  return 'created';
}

/** The file or symlink itself exists (a symlink into the target system dangles under --root). */
export function isPresent(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Removes a file or symlink if present; true when something was removed. */
export function removeIfPresent(file: string): boolean {
  if (!isPresent(file)) return false;
  rmSync(file, { force: true });
  return true;
}

/** The nearest existing ancestor of `dir` must be writable, or the install is refused before any change. */
export function assertWritable(dir: string, advice: string): void {
  let probe = dir;
  while (!existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw new OwlError('OWL_FORBIDDEN', `cannot write to ${probe}: ${advice}`);
  }
}

export function isRootUser(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
