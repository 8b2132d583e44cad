import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

// O_ACCMODE bits of the fdinfo flags: 0 is read-only, 1 write-only, 2 read-write.
const ACCESS_MODE_MASK = 0o3;

/**
 * Linux: every process (but this one) that holds `file` open for writing, found through
 * /proc/<pid>/fd, so children that left the app's process tree are found too. Processes of
 * other users are skipped (their fds cannot be read). Pids in `scanned` are skipped and every
 * pid looked at is added to it, so a rescan only looks at processes started since.
 * Synchronous: it runs while the daemon must not start anything new.
 *
 * @example
 * findWritersSync('/home/u/.owl/logs/web/out.log', new Set()); // [4242, 4250]
 */
export function findWritersSync(file: string, scanned: Set<number>): number[] {
  const target = canonicalPath(file);
  const writers: number[] = [];
  scanned.add(process.pid);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || scanned.has(Number(name))) continue;
    scanned.add(Number(name));
    if (holdsForWriting(Number(name), target)) writers.push(Number(name));
  }
  return writers;
}

/** Those of `pids` that still hold `file` open for writing (a pid may have exited and been reused since). */
export function stillWritingSync(file: string, pids: readonly number[]): number[] {
  const target = canonicalPath(file);
  return pids.filter((pid) => holdsForWriting(pid, target));
}

function holdsForWriting(pid: number, target: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    let linked: string;
    try {
      linked = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (linked === target && opensForWriting(pid, fd)) return true;
  }
  return false;
}

function opensForWriting(pid: number, fd: string): boolean {
  try {
    const match = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
    // Unknown flags: assume a writer; pausing a reader too is harmless.
    return match?.[1] === undefined || (parseInt(match[1], 8) & ACCESS_MODE_MASK) !== 0;
  } catch {
    return true;
  }
}

function canonicalPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
