import { readdir } from 'node:fs/promises';
import { readProcStatSync } from './proc-stat.ts';
import { runCommand } from './run-command.ts';
import { linuxStartToken, normalizeDmtfDate, normalizeLstart, readLinuxBootId } from './start-time.ts';
import { win32Native, type Win32Native } from './win32-native.ts';
import { queryWin32Processes } from './win32-processes.ts';

/** One row of the machine's process table. */
export interface ProcessTableEntry {
  pid: number;
  ppid: number;
  /** Same token as readProcessStartTime; null when unknown. */
  startTime: string | null;
}

/**
 * Reads every process on the machine with its parent and start time, in one pass.
 * Linux: /proc/<pid>/stat; macOS: `ps -A`; Windows: a Toolhelp32 snapshot (Win32_Process
 * through wmic or PowerShell without the native bindings). Empty when the table cannot be read.
 *
 * @example
 * const parents = new Map((await readProcessTable()).map((row) => [row.pid, row.ppid]));
 */
export async function readProcessTable(): Promise<ProcessTableEntry[]> {
  if (process.platform === 'linux') return readLinuxTable();
  if (process.platform === 'win32') return readWindowsTable();
  return readPsTable();
}

async function readLinuxTable(): Promise<ProcessTableEntry[]> {
  const [names, bootId] = await Promise.all([readdir('/proc'), readLinuxBootId()]);
  const rows: ProcessTableEntry[] = [];
  // One synchronous read per process (procfs never waits on a disk), no promise per process:
  // the metrics tick reads the whole table every 5 s.
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStatSync(Number(name));
    // null: the process exited between readdir and reading its stat.
    if (stat === null) continue;
    rows.push({ pid: stat.pid, ppid: stat.ppid, startTime: linuxStartToken(stat.startTicks, bootId) });
  }
  return rows;
}

async function readPsTable(): Promise<ProcessTableEntry[]> {
  const output = await runCommand('ps', ['-A', '-o', 'pid=,ppid=,lstart='], { env: { ...process.env, LC_ALL: 'C' } });
  const rows: ProcessTableEntry[] = [];
  for (const line of output?.split('\n') ?? []) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    rows.push({ pid: Number(match[1]), ppid: Number(match[2]), startTime: normalizeLstart(match[3] ?? '') });
  }
  return rows;
}

async function readWindowsTable(): Promise<ProcessTableEntry[]> {
  const native = win32Native();
  if (native) return readNativeWindowsTable(native);
  const records = await queryWin32Processes({ properties: ['CreationDate', 'ParentProcessId', 'ProcessId'] });
  const rows: ProcessTableEntry[] = [];
  for (const record of records ?? []) {
    const pid = Number(record['ProcessId']);
    const ppid = Number(record['ParentProcessId']);
    if (!Number.isInteger(pid) || !Number.isInteger(ppid)) continue;
    rows.push({ pid, ppid, startTime: normalizeDmtfDate(record['CreationDate'] ?? '') });
  }
  return rows;
}

/** Windows, synchronously: one Toolhelp32 snapshot plus each process's creation time. */
export function readNativeWindowsTable(native: Win32Native): ProcessTableEntry[] {
  return native.listProcesses().map((row) => ({ pid: row.pid, ppid: row.ppid, startTime: native.startTime(row.pid) }));
}
