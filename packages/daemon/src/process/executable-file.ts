import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';

/**
 * True when the path names a regular file (after symlinks) that this process may execute.
 * Windows has no execute bit: any regular file qualifies there.
 *
 * @example
 * await isExecutableFile('/usr/bin/env'); // true
 */
export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    if (process.platform !== 'win32') await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
