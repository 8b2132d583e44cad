import { runCommand } from './run-command.ts';

/** One Win32_Process instance: property name -> value as text. */
export type Win32ProcessRecord = Readonly<Record<string, string>>;

export interface Win32ProcessQuery {
  /** Restrict to one process; all processes when omitted. */
  processId?: number;
  /** Win32_Process property names, e.g. ['ProcessId', 'CreationDate']. */
  properties: readonly string[];
}

/**
 * Queries Win32_Process with `wmic`, falling back to Windows PowerShell's Get-CimInstance
 * where wmic has been removed (Windows 11 24H2 and later). Returns null when neither tool is
 * available or both fail, so callers degrade to "unknown" instead of throwing.
 * CreationDate is always returned in DMTF form (yyyymmddHHMMSS.ffffff+UUU).
 */
export async function queryWin32Processes(query: Win32ProcessQuery): Promise<Win32ProcessRecord[] | null> {
  const where = query.processId === undefined ? [] : ['where', `ProcessId=${query.processId}`];
  const wmic = await runCommand('wmic', ['process', ...where, 'get', query.properties.join(','), '/value']);
  if (wmic !== null) return parseWmicValues(wmic);
  const powershell = await runCommand('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', buildPowerShellScript(query)]);
  return powershell === null ? null : parseWmicValues(powershell);
}

/** Parses `Key=Value` blocks (wmic /value); a key seen again starts the next record. */
export function parseWmicValues(text: string): Win32ProcessRecord[] {
  const records: Record<string, string>[] = [];
  let current: Record<string, string> = {};
  for (const line of text.split(/\r*\n/)) {
    const separator = line.indexOf('=');
    if (separator <= 0) continue;
    const key = line.slice(0, separator).trim();
    if (key in current) {
      records.push(current);
      current = {};
    }
    current[key] = line.slice(separator + 1).trim();
  }
  if (Object.keys(current).length > 0) records.push(current);
  return records;
}

// Prints the same `Key=Value` shape as wmic so one parser serves both; dates become UTC DMTF.
// A null CreationDate (System Idle Process) must not raise, or powershell exits non-zero.
function buildPowerShellScript(query: Win32ProcessQuery): string {
  const filter = query.processId === undefined ? '' : ` -Filter 'ProcessId=${query.processId}'`;
  const lines = query.properties.map((name) =>
    name === 'CreationDate'
      ? `'CreationDate=' + $(if ($p.CreationDate) { $p.CreationDate.ToUniversalTime().ToString('yyyyMMddHHmmss.ffffff') + '+000' })`
      : `'${name}=' + $p.${name}`,
  );
  return `Get-CimInstance Win32_Process${filter} | ForEach-Object { $p = $_; ${lines.join('; ')} }`;
}
