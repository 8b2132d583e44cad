import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { OwlError } from '@owl/rpc';

// Names Windows maps to devices whatever the extension (CON.txt is the console too).
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
// Characters no portable file name may hold: `:` opens an alternate data stream on NTFS,
// `\` is a separator on Windows, the rest are reserved there or control characters.
const FORBIDDEN_CHARACTERS = /[\\:*?"<>|\u0000-\u001f]/;

function refuse(filePath: string, why: string): never {
  throw new OwlError('OWL_INVALID_PARAMS', `roost path ${JSON.stringify(filePath)} refused: ${why}`, { data: { path: filePath } });
}

/**
 * Checks one destination path of a version body, fail-closed: a relative, forward-slash path
 * of plain names that means the same file on Linux, macOS and Windows. Throws OWL_INVALID_PARAMS
 * naming the path and the rule it breaks.
 */
export function checkRoostPath(filePath: string): void {
  if (filePath.startsWith('/') || /^[A-Za-z]:/.test(filePath)) refuse(filePath, 'absolute paths are not allowed');
  for (const segment of filePath.split('/')) {
    if (segment === '') refuse(filePath, 'empty path segment (leading, trailing or doubled "/")');
    if (segment === '..' || segment === '.') refuse(filePath, `"${segment}" segments are not allowed`);
    const bad = FORBIDDEN_CHARACTERS.exec(segment);
    if (bad) refuse(filePath, bad[0] === ':' ? '":" (alternate data stream) is not allowed' : `character ${JSON.stringify(bad[0])} is not allowed`);
    if (/[. ]$/.test(segment)) refuse(filePath, `"${segment}" ends in a dot or a space (Windows drops them)`);
    if (WINDOWS_DEVICE_NAMES.test(segment)) refuse(filePath, `"${segment}" is a Windows device name`);
  }
}

/**
 * Checks a whole file list: every path alone, then the pairs that would collide on a
 * case-insensitive file system (Windows, macOS) or where one file sits under another.
 */
export function checkRoostPaths(paths: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const filePath of paths) {
    checkRoostPath(filePath);
    const folded = filePath.normalize('NFC').toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) refuse(filePath, earlier === filePath ? 'listed twice' : `collides with ${JSON.stringify(earlier)} on a case-insensitive file system`);
    seen.set(folded, filePath);
  }
  for (const [folded, filePath] of seen) {
    const segments = folded.split('/');
    for (let depth = 1; depth < segments.length; depth += 1) {
      const parent = seen.get(segments.slice(0, depth).join('/'));
      if (parent !== undefined) refuse(filePath, `${JSON.stringify(parent)} is a file, so it cannot be a folder too`);
    }
  }
}

/**
 * The directory a roost link lives in, after realpath: it must exist and no ancestor may be a
 * symlink or junction (its real path equals the path written in config.json).
 */
export async function checkLinkParent(link: string): Promise<string> {
  const parent = path.dirname(path.resolve(link));
  let real: string;
  try {
    real = await realpath(parent);
  } catch (error) {
    throw new OwlError('OWL_CONFIG_INVALID', `roost root ${link}: its folder ${parent} cannot be resolved: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  if (real !== parent) throw new OwlError('OWL_CONFIG_INVALID', `roost root ${link}: ${parent} resolves to ${real}: a symlink or junction in an ancestor is not allowed; write the real path in config.json`);
  return real;
}

/** What is at the roost's link path now: nothing, a link (to the path it names, even when that is gone), or something owl must not replace. */
export async function inspectLink(link: string): Promise<{ kind: 'absent' } | { kind: 'link'; target: string } | { kind: 'other' }> {
  try {
    const stats = await lstat(link);
    if (!stats.isSymbolicLink()) return { kind: 'other' };
    return { kind: 'link', target: path.resolve(path.dirname(link), await readlink(link)) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
}
