import { closeSync, openSync, readSync } from 'node:fs';

/** The fields of Linux /proc/<pid>/stat that owl uses. */
export interface ProcStat {
  pid: number;
  /** One letter: R running, S sleeping, D disk sleep, Z zombie, X dead, T stopped... */
  state: string;
  ppid: number;
  /** Field 22: start time in clock ticks since boot. */
  startTicks: string;
  /** Fields 14 + 15: CPU time used in user and kernel mode, in clock ticks. */
  cpuTicks: number;
  /** Field 24: resident set size, in pages. */
  rssPages: number;
}

// /proc/<pid>/stat is one short line (the command name is at most 16 bytes). fs.readFile sees
// a size of 0 for it and reads it into a fresh 64 KiB buffer: for every process of the machine,
// every metrics tick, that was tens of MiB of garbage buffers that inflated the daemon's RSS.
const STAT_BYTES = 4096;
const statBuffer = Buffer.allocUnsafe(STAT_BYTES);

/**
 * Reads and parses /proc/<pid>/stat (Linux only) into one shared buffer, synchronously (a
 * procfs read never waits on a disk). Returns null when the process does not exist or its
 * entry cannot be read.
 */
export async function readProcStat(pid: number): Promise<ProcStat | null> {
  return readProcStatSync(pid);
}

/** readProcStat without the promise, for loops over every process of the machine. */
export function readProcStatSync(pid: number): ProcStat | null {
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    return null;
  }
  try {
    const length = readSync(fd, statBuffer, 0, STAT_BYTES, 0);
    return parseProcStat(pid, statBuffer.toString('utf8', 0, length));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Parses the text of one /proc/<pid>/stat file; null when it is malformed. */
export function parseProcStat(pid: number, text: string): ProcStat | null {
  // The command name (field 2) may hold spaces and parens: fields are counted after the last ')'.
  const closingParen = text.lastIndexOf(')');
  if (closingParen < 0) return null;
  // Only the fields owl reads are cut out: splitting all ~50 fields of every process on the
  // machine, every metrics tick, was most of an idle daemon's garbage.
  let state: string | undefined;
  let ppid = Number.NaN;
  let startTicks = '';
  let cpuTicks = 0;
  let start = closingParen + 2;
  for (let field = 3; field < 24; field += 1) {
    const end = text.indexOf(' ', start);
    if (end < 0) return null;
    if (field === 3) state = text.slice(start, end);
    else if (field === 4) ppid = Number(text.slice(start, end));
    else if (field === 14 || field === 15) cpuTicks += Number(text.slice(start, end));
    else if (field === 22) startTicks = text.slice(start, end);
    start = end + 1;
  }
  const end = text.indexOf(' ', start);
  const rssPages = Number(text.slice(start, end < 0 ? undefined : end));
  if (state === undefined || startTicks === '' || !Number.isInteger(ppid) || !Number.isFinite(cpuTicks) || !Number.isFinite(rssPages)) return null;
  return { pid, state, ppid, startTicks, cpuTicks, rssPages };
}

/** True for the states of a process that has exited but not been reaped (Z) or is being torn down (X). */
export function isExitedState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}
