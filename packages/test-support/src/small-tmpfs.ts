import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * Mounts a small tmpfs (a real file system that really fills up) and unmounts it when the test
 * ends. Returns the reason instead where mounting is not permitted (not root).
 */
export function mountSmallTmpfs(size: string, prefix: string = 'owl-tmpfs-', beforeUnmount: (directory: string) => void = () => undefined): { directory: string } | { skip: string } {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', directory], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(directory, { recursive: true, force: true });
    return { skip: `cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || '').trim()}); this test needs root` };
  }
  onTestFinished(() => {
    beforeUnmount(directory);
    spawnSync('umount', ['-l', directory]);
    rmSync(directory, { recursive: true, force: true });
  });
  return { directory };
}

/** Writes `file` until not a byte more fits on its file system. */
export function fillFileSystem(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [65_536, 4_096, 1]) {
      const chunk = Buffer.alloc(size, 0x61);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch {
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}
