import { readdir, readFile } from 'node:fs/promises';
import { readProcStat } from '../process/proc-stat.ts';
import { formatLinuxStartTime, normalizeLstart } from '../process/start-time.ts';
import { runCommand } from '../process/run-command.ts';
import { win32Native } from '../process/win32-native.ts';
import { readWindowsEnvironment } from '../process/win32-environment.ts';
import { LAUNCH_ENV, parseLaunchMarker, type LaunchMarker } from './launch-marker.ts';

/** A live process that carries one of this home's launch markers. */
export interface LaunchedProcess extends LaunchMarker {
  pid: number;
  ppid: number;
  startTime: string | null;
}

/**
 * Every process on the machine that one of this home's daemons launched, found from the
 * processes themselves (not from state.json). Descendants inherit the marker; only the root of
 * each tree (whose parent does not carry the same marker) is returned.
 * Linux reads /proc/<pid>/environ, macOS `ps eww`, Windows each process's PEB (through koffi;
 * nothing without it, see docs/durability.md).
 */
export async function findLaunchedProcesses(homeId: () => string): Promise<LaunchedProcess[]> {
  const all = process.platform === 'linux' ? await scanLinux(homeId) : process.platform === 'win32' ? scanWindows(homeId) : await scanPs(homeId);
  return treeRoots(all.filter((found) => found.pid !== process.pid));
}

function treeRoots(found: LaunchedProcess[]): LaunchedProcess[] {
  const byPid = new Map(found.map((entry) => [entry.pid, entry]));
  return found.filter((entry) => {
    const parent = byPid.get(entry.ppid);
    return !(parent && parent.app === entry.app && parent.instance === entry.instance && parent.launchId === entry.launchId);
  });
}

/** `homeId` is asked for only when the environment holds some launch marker (see lazyHomeId). */
export function markerIn(environment: string, separator: string, homeIdOf: () => string): LaunchMarker | null {
  if (!environment.includes(`${LAUNCH_ENV}=`)) return null;
  const homeId = homeIdOf();
  const prefix = `${LAUNCH_ENV}=${homeId}:`;
  const start = environment.indexOf(prefix);
  if (start < 0) return null;
  // The variable may not be the first: it must start the block or follow a separator.
  if (start > 0 && environment.slice(start - separator.length, start) !== separator) return null;
  const end = environment.indexOf(separator, start);
  const value = environment.slice(start + LAUNCH_ENV.length + 1, end < 0 ? undefined : end);
  const marker = parseLaunchMarker(value);
  return marker?.homeId === homeId ? marker : null;
}

async function scanLinux(homeId: () => string): Promise<LaunchedProcess[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const found: LaunchedProcess[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      // Another user's process (EACCES) or one that just exited (ENOENT): not ours to find.
      const environment = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => null);
      if (environment === null) return;
      const marker = markerIn(environment, '\0', homeId);
      if (marker === null) return;
      const stat = await readProcStat(pid);
      if (stat === null || stat.state === 'Z') return;
      found.push({ ...marker, pid, ppid: stat.ppid, startTime: await formatLinuxStartTime(stat.startTicks) });
    }),
  );
  return found;
}

function scanWindows(homeId: () => string): LaunchedProcess[] {
  const native = win32Native();
  if (native === null) return [];
  const found: LaunchedProcess[] = [];
  for (const row of native.listProcesses()) {
    const environment = readWindowsEnvironment(row.pid);
    const marker = environment === null ? null : markerIn(environment, '\0', homeId);
    if (marker) found.push({ ...marker, pid: row.pid, ppid: row.ppid, startTime: native.startTime(row.pid) });
  }
  return found;
}

async function scanPs(homeId: () => string): Promise<LaunchedProcess[]> {
  // `ps eww` appends each process's environment to its command line, space-separated.
  const output = await runCommand('ps', ['eww', '-A', '-o', 'pid=,ppid=,lstart=,command='], { env: { ...process.env, LC_ALL: 'C' } });
  const found: LaunchedProcess[] = [];
  for (const line of output?.split('\n') ?? []) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\w{3} \w{3}\s+\d+ [\d:]{8} \d{4})\s(.*)$/.exec(line);
    if (match === null) continue;
    const marker = markerIn(match[4] as string, ' ', homeId);
    if (marker) found.push({ ...marker, pid: Number(match[1]), ppid: Number(match[2]), startTime: normalizeLstart(match[3] as string) });
  }
  return found;
}
