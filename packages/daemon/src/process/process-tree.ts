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

/** A process table indexed once by pid and by parent, to walk many trees without re-indexing. */
export interface ProcessTableIndex {
  readonly byPid: ReadonlyMap<number, ProcessTableEntry>;
  readonly children: ReadonlyMap<number, readonly ProcessTableEntry[]>;
}

/** Indexes a process table by pid and by parent pid (a row that is its own parent is no child). */
export function indexProcessTable(table: readonly ProcessTableEntry[]): ProcessTableIndex {
  const byPid = new Map<number, ProcessTableEntry>();
  const children = new Map<number, ProcessTableEntry[]>();
  for (const row of table) {
    byPid.set(row.pid, row);
    if (row.pid === row.ppid) continue;
    const siblings = children.get(row.ppid);
    if (siblings) siblings.push(row);
    else children.set(row.ppid, [row]);
  }
  return { byPid, children };
}

/**
 * Walks a process table breadth-first from several roots and returns every descendant row
 * (roots excluded unless one descends from another). Pass an index to walk many trees of one
 * table: indexing is the costly part (the metrics tick walks one tree per app every 5 s).
 */
export function collectDescendants(table: readonly ProcessTableEntry[] | ProcessTableIndex, rootPids: readonly number[]): ProcessTableEntry[] {
  const { byPid, children } = 'children' in table ? table : indexProcessTable(table);
  const found: ProcessTableEntry[] = [];
  const visited = new Set<number>(rootPids);
  const queue = [...rootPids];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const kids = children.get(pid);
    if (kids === undefined) continue;
    const parent = byPid.get(pid);
    for (const child of kids) {
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
