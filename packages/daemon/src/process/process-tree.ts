import { readProcessTable, type ProcessTableEntry } from './process-table.ts';

/**
 * Lists every descendant of a process (children, grandchildren, ...), not the root itself.
 * Returns [] when the root has no children or does not exist.
 *
 * @example
 * const pids = await listDescendants(child.pid);
 */
export async function listDescendants(rootPid: number): Promise<number[]> {
  const table = await readProcessTable();
  return collectDescendants(table, [rootPid]).map((row) => row.pid);
}

/**
 * Walks a process table breadth-first from several roots and returns every descendant row
 * (roots excluded unless one descends from another).
 */
export function collectDescendants(table: readonly ProcessTableEntry[], rootPids: readonly number[]): ProcessTableEntry[] {
  const byPid = new Map(table.map((row) => [row.pid, row]));
  const children = new Map<number, ProcessTableEntry[]>();
  for (const row of table) {
    if (row.pid === row.ppid) continue;
    const siblings = children.get(row.ppid) ?? [];
    siblings.push(row);
    children.set(row.ppid, siblings);
  }
  const found: ProcessTableEntry[] = [];
  const visited = new Set<number>(rootPids);
  const queue = [...rootPids];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const parent = byPid.get(pid);
    for (const child of children.get(pid) ?? []) {
      if (visited.has(child.pid) || !isBornAfter(child, parent)) continue;
      visited.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

// Windows keeps a dead parent's pid in ParentProcessId; once that pid is reused, the new
// process would adopt strangers. A real child never starts before its parent.
function isBornAfter(child: ProcessTableEntry, parent: ProcessTableEntry | undefined): boolean {
  if (process.platform !== 'win32') return true;
  if (parent?.startTime == null || child.startTime === null) return true;
  return child.startTime >= parent.startTime;
}
