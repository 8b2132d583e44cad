import { readlink } from 'node:fs/promises';
import { runCommand } from './run-command.ts';
import { win32Native } from './win32-native.ts';
import { queryWin32Processes } from './win32-processes.ts';

/**
 * The path of the executable image a process runs, or null when unknown (no such process,
 * no permission, kernel thread, or no inspection tool available).
 * - Linux: readlink /proc/<pid>/exe, without the " (deleted)" suffix the kernel appends after
 *   the file was replaced (an upgraded binary still names the same program).
 * - macOS: `ps -o comm=` (the path the process was executed with).
 * - Windows: QueryFullProcessImageNameW (Win32_Process.ExecutablePath without the native bindings).
 *
 * @example
 * await readProcessExecutable(process.pid); // '/usr/local/bin/node'
 */
export async function readProcessExecutable(pid: number): Promise<string | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (process.platform === 'linux') return readLinuxExecutable(pid);
  if (process.platform === 'win32') return readWindowsExecutable(pid);
  return readPsExecutable(pid);
}

const DELETED_SUFFIX = ' (deleted)';

async function readLinuxExecutable(pid: number): Promise<string | null> {
  try {
    const target = await readlink(`/proc/${pid}/exe`);
    return target.endsWith(DELETED_SUFFIX) ? target.slice(0, -DELETED_SUFFIX.length) : target;
  } catch {
    return null;
  }
}

async function readPsExecutable(pid: number): Promise<string | null> {
  const output = await runCommand('ps', ['-o', 'comm=', '-p', String(pid)]);
  const path = output?.trim() ?? '';
  return path === '' ? null : path;
}

async function readWindowsExecutable(pid: number): Promise<string | null> {
  const native = win32Native();
  if (native) return native.executablePath(pid);
  const records = await queryWin32Processes({ processId: pid, properties: ['ExecutablePath'] });
  const path = records?.[0]?.['ExecutablePath'] ?? '';
  return path === '' ? null : path;
}
