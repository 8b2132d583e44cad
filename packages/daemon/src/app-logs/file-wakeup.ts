import { watch } from 'node:fs';

export interface FileWakeup {
  close(): void;
}

/**
 * Calls `wake` whenever the file changes (inotify on Linux, kqueue on macOS), so an idle
 * tailer can sleep long instead of polling every file twice a second. Null where a change
 * made by another process through its own handle is not reliably reported (Windows) or the
 * watch cannot be set up (no watches left): the caller keeps polling.
 */
export function watchFileChanges(file: string, wake: () => void): FileWakeup | null {
  if (process.platform === 'win32') return null;
  try {
    const watcher = watch(file, { persistent: false }, () => wake());
    // An error (the file went away, watches exhausted) only ends the wakeups: polling goes on.
    watcher.on('error', () => watcher.close());
    return { close: () => watcher.close() };
  } catch {
    return null;
  }
}
