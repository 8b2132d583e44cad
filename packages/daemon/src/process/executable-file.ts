import { accessSync, constants, statSync } from 'node:fs';

/**
 * True when the path names a regular file (after symlinks) that this process may execute.
 * Windows has no execute bit: any regular file qualifies there. Synchronous: a stat and an
 * access of a path the spawn is about to exec (a lookup the kernel caches) cost less than two
 * round trips through the thread pool, and it sits on the path from a crash to the relaunch.
 *
 * @example
 * isExecutableFile('/usr/bin/env'); // true
 */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
