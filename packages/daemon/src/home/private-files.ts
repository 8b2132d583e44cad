import { chmodSync, fchmodSync, mkdirSync } from 'node:fs';

/**
 * Modes of what the daemon writes under OWL_HOME: owner only. App output, state (with app
 * environments), audit and config can hold secrets, and the daemon does not know which.
 * The daemon's umask is not changed instead: its children inherit it, and their own files
 * are theirs to decide.
 */
export const PRIVATE_DIRECTORY_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

// Windows has no POSIX modes: the ACL of the home (the user's profile or ProgramData) decides.
const HAS_POSIX_MODES = process.platform !== 'win32';

/** Creates `directory` (and missing parents) owner-only, and tightens it if it already existed. */
export function ensurePrivateDirectory(directory: string): void {
  mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (!HAS_POSIX_MODES) return;
  try {
    chmodSync(directory, PRIVATE_DIRECTORY_MODE);
  } catch {
    // A directory another user owns (a shared home handed to us): its owner's modes stand.
  }
}

/** Makes an open file owner-only: files created by an older version (0644) are tightened too. */
export function restrictOpenFile(descriptor: number): void {
  if (HAS_POSIX_MODES) fchmodSync(descriptor, PRIVATE_FILE_MODE);
}
