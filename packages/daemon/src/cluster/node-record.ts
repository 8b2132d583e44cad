import * as z from 'zod';
import type { AppRow } from '@owl/rpc';
import { fleetAppFieldsSchema } from '@owl/rpc/contract';

const HostSchema = z.object({ cpu: z.number(), memory: z.number(), memoryTotal: z.number(), diskFree: z.number().nullable() });

/** What a node's heartbeat says about it (signed, TTL'd: 3 missed beats and it is gone). */
export const NodeRecordSchema = z.object({
  id: z.string(),
  alias: z.string(),
  labels: z.record(z.string(), z.string()),
  address: z.string().nullable(),
  version: z.string(),
  startedAt: z.number(),
  at: z.number(),
  apps: z.record(z.string(), z.number()),
  host: HostSchema,
});
export type NodeRecord = z.output<typeof NodeRecordSchema>;

/** One node's per-tick summary, pushed to the summaries stream and folded by the leader. */
export const NodeSummarySchema = z.object({
  nodeId: z.string(),
  alias: z.string(),
  at: z.number(),
  host: HostSchema,
  apps: z.array(fleetAppFieldsSchema()),
});
export type NodeSummary = z.output<typeof NodeSummarySchema>;

export function countByStatus(rows: readonly AppRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

export function summaryApps(rows: readonly AppRow[]): NodeSummary['apps'] {
  return rows.map((row) => ({ name: row.name, instance: row.instance, status: row.status, cpu: row.cpu, memory: row.memory, restarts: row.restarts }));
}
