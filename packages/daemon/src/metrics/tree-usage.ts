import { readProcessTable, type ProcessTableEntry } from '../process/process-table.ts';
import { collectDescendants, indexProcessTable } from '../process/process-tree.ts';
import { readProcessUsage } from './process-usage.ts';

/** Usage of one process tree: the root and every descendant together. */
export interface TreeUsage {
  /** CPU % summed over the tree (100 = one core). */
  cpu: number;
  /** RSS bytes summed over the tree. */
  memory: number;
  /** Processes of the tree that were measured. */
  processes: number;
}

export interface TreeUsageReading {
  /** Root pid -> usage; a root that vanished is left out. */
  usage: Map<number, TreeUsage>;
  /** The process table read for this reading (reused, e.g. to find a tree's windows). */
  table: ProcessTableEntry[];
}

/**
 * Measures several process trees with one process-table read and one batched pidusage call
 * over every pid of every tree, whatever the number of apps.
 *
 * @example
 * const { usage } = await readTreeUsage([appPid]);
 * usage.get(appPid)?.memory;
 */
export async function readTreeUsage(roots: readonly number[]): Promise<TreeUsageReading> {
  if (roots.length === 0) return { usage: new Map(), table: [] };
  const table = await readProcessTable();
  const index = indexProcessTable(table);
  const trees = new Map(roots.map((root) => [root, [root, ...collectDescendants(index, [root]).map((row) => row.pid)]]));
  const stats = await readProcessUsage([...new Set([...trees.values()].flat())]);
  const usage = new Map<number, TreeUsage>();
  for (const [root, pids] of trees) {
    if (!stats.has(root)) continue;
    const total: TreeUsage = { cpu: 0, memory: 0, processes: 0 };
    for (const pid of pids) {
      const stat = stats.get(pid);
      if (!stat) continue;
      total.cpu += stat.cpu;
      total.memory += stat.memory;
      total.processes += 1;
    }
    total.cpu = Math.round(total.cpu * 10) / 10;
    usage.set(root, total);
  }
  return { usage, table };
}
