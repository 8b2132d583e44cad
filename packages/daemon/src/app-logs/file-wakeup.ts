import { watch, type FSWatcher } from 'node:fs';

export interface FileWakeup {
  close(): void;
}

// An error (the file went away, watches exhausted) only ends the wakeups: polling goes on.
// One function for every watcher (it closes the watcher it is called on), not a closure each.
function watcherOnError(this: FSWatcher): void {
  this.close();
}

/**
 * Calls `wake` whenever the file changes (inotify on Linux, kqueue on macOS), so an idle
 * tailer can sleep long instead of polling every file twice a second. Null where a change
 * made by another process through its own handle is not reliably reported (Windows) or the
 * watch cannot be set up (no watches left): the caller keeps polling. The watcher itself is
 * returned (its close() is all the caller needs), so an idle file costs no wrapper.
 */
export function watchFileChanges(file: string, wake: () => void): FileWakeup | null {
  if (process.platform === 'win32') return null;
  try {
    return watch(file, { persistent: false }, wake).on('error', watcherOnError);
  } catch {
    return null;
  }
}
