import { readFile } from 'node:fs/promises';
import { readProcStat } from './proc-stat.ts';
import { runCommand } from './run-command.ts';
import { win32Native } from './win32-native.ts';
import { queryWin32Processes } from './win32-processes.ts';

/**
 * A token that identifies one incarnation of a pid: equal tokens mean the same process, so a
 * recorded pid that was reused by another program is detected. Compare tokens for equality only.
 * - Linux: start time in clock ticks since boot (/proc/<pid>/stat field 22) plus the boot id.
 * - macOS: `ps -o lstart=` (one-second resolution).
 * - Windows: the creation time from GetProcessTimes (wmic's or PowerShell's CreationDate
 *   when the native bindings are unavailable), as UTC with microseconds.
 *   Returns null when it cannot be read, so callers must treat null as "cannot verify".
 * Returns null when the process does not exist.
 *
 * @example
 * const before = await readProcessStartTime(pid);
 * const samePid = before !== null && (await readProcessStartTime(pid)) === before;
 */
export async function readProcessStartTime(pid: number): Promise<string | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (process.platform === 'linux') return readLinuxStartTime(pid);
  if (process.platform === 'win32') return readWindowsStartTime(pid);
  return readPsStartTime(pid);
}

async function readLinuxStartTime(pid: number): Promise<string | null> {
  const stat = await readProcStat(pid);
  return stat === null ? null : formatLinuxStartTime(stat.startTicks);
}

let bootIdPromise: Promise<string> | undefined;

/** This boot's id (/proc/sys/kernel/random/boot_id), read once; '' when it cannot be read. */
export function readLinuxBootId(): Promise<string> {
  bootIdPromise ??= readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  return bootIdPromise;
}

/**
 * Formats a Linux start tick count as a start-time token.
 * Why the boot id: tick counts restart at every boot, and boot is deterministic enough that the
 * same pid can start at the same tick after a reboot.
 */
export async function formatLinuxStartTime(startTicks: string): Promise<string> {
  return linuxStartToken(startTicks, await readLinuxBootId());
}

/** formatLinuxStartTime with the boot id already read (readLinuxBootId). */
export function linuxStartToken(startTicks: string, bootId: string): string {
  return bootId === '' ? startTicks : `${startTicks}@${bootId}`;
}

async function readPsStartTime(pid: number): Promise<string | null> {
  // LC_ALL=C keeps lstart's format independent of the caller's locale.
  const output = await runCommand('ps', ['-o', 'lstart=', '-p', String(pid)], { env: { ...process.env, LC_ALL: 'C' } });
  return output === null ? null : normalizeLstart(output);
}

/** Collapses the padding `ps` puts in lstart ("Mon Jan  1 ...") so tokens compare equal. */
export function normalizeLstart(lstart: string): string | null {
  const token = lstart.trim().replace(/\s+/g, ' ');
  return token === '' ? null : token;
}

async function readWindowsStartTime(pid: number): Promise<string | null> {
  const native = win32Native();
  if (native) return native.startTime(pid);
  const records = await queryWin32Processes({ processId: pid, properties: ['CreationDate'] });
  const creationDate = records?.[0]?.['CreationDate'];
  return creationDate === undefined ? null : normalizeDmtfDate(creationDate);
}

/**
 * Turns a DMTF datetime (yyyymmddHHMMSS.ffffff+UUU, UUU = minutes from UTC) into a UTC token,
 * so wmic (local time) and PowerShell (UTC) report the same process identically.
 */
export function normalizeDmtfDate(dmtf: string): string | null {
  const text = dmtf.trim();
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(\d{6})([+-])(\d{3})$/.exec(text);
  if (match === null) return text === '' ? null : text;
  const [, year, month, day, hour, minute, second, micros, sign, offset] = match.map(String);
  const localMs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  const utcMs = localMs - (sign === '-' ? -1 : 1) * Number(offset) * 60_000;
  return `${new Date(utcMs).toISOString().slice(0, 19)}.${micros}Z`;
}
