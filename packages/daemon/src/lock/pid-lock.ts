import { open, readFile, rm } from 'node:fs/promises';
import { OwlError } from '@owl/rpc';
import { readProcessStartTime } from '../process/start-time.ts';
import { isPidRunning } from '../process/is-alive.ts';

export interface LockHolder {
  pid: number;
  startTime: string | null;
}

export interface PidLock {
  readonly holder: LockHolder;
  release(): Promise<void>;
}

/** Parses the lock file: the pid alone on the first line, its start time on the second. */
export function parseLockFile(text: string): LockHolder | null {
  const [pidLine, startLine] = text.split('\n');
  const pid = Number(pidLine?.trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const startTime = startLine?.trim() || null;
  return { pid, startTime };
}

export async function readLockHolder(file: string): Promise<LockHolder | null> {
  try {
    return parseLockFile(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Live = the pid exists AND started at the recorded time, so a reused pid is not mistaken for us. */
export async function isHolderAlive(holder: LockHolder): Promise<boolean> {
  // A killed daemon nobody has reaped yet is a zombie: dead for our purposes.
  if (!(await isPidRunning(holder.pid))) return false;
  const current = await readProcessStartTime(holder.pid);
  if (current === null) return false;
  return holder.startTime === null || holder.startTime === current;
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes the daemon's exclusive lock. A lock whose holder is dead (kill -9) or whose pid now
 * belongs to another process is reclaimed; a live holder fails with OWL_DAEMON_RUNNING.
 */
export async function acquirePidLock(file: string, pid: number = process.pid): Promise<PidLock> {
  const startTime = await readProcessStartTime(pid);
  const holder: LockHolder = { pid, startTime };
  const content = `${pid}\n${startTime ?? ''}\n`;
  // Two rounds: the second follows removal of a stale lock; losing that race again means a live rival.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (await createExclusive(file, content)) {
      return {
        holder,
        release: async () => {
          const current = await readLockHolder(file);
          if (current?.pid === pid) await rm(file, { force: true });
        },
      };
    }
    const existing = await readLockHolder(file);
    if (existing && existing.pid !== pid && (await isHolderAlive(existing))) {
      throw new OwlError('OWL_DAEMON_RUNNING', `owl daemon is already running (pid ${existing.pid}, lock ${file})`, {
        data: { pid: existing.pid },
      });
    }
    await rm(file, { force: true });
  }
  throw new OwlError('OWL_LOCK_HELD', `could not take the lock ${file}: another daemon is starting at the same time`);
}
