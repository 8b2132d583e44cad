import type { NodeSummary } from './node-record.ts';

export const MINUTE_MS = 60_000;
export const HISTORY_SPAN_MS = 24 * 60 * MINUTE_MS;

/** One node's figures inside one minute of fleet history. */
export interface MinuteFigures {
  alias: string;
  cpuSum: number;
  memorySum: number;
  samples: number;
  appsRunning: number;
  appsTotal: number;
}
export type MinuteBucket = Record<string, MinuteFigures>;

export interface FoldInput {
  /** Latest summary per node already in the view (only the nodes of this batch are needed). */
  view: ReadonlyMap<string, NodeSummary>;
  /** Existing buckets for the minutes this batch touches. */
  buckets: ReadonlyMap<number, MinuteBucket>;
  /** Minutes the history holds now (to drop what fell out of 24 h). */
  minutes: readonly number[];
  summaries: readonly NodeSummary[];
  now: number;
}

export interface FoldOutput {
  /** View entries to write (nodes whose newest summary changed). */
  view: Map<string, NodeSummary>;
  buckets: Map<number, MinuteBucket>;
  dropMinutes: number[];
}

/**
 * Folds a batch of summaries: the view keeps each node's newest summary (a buffered one that
 * arrives late never replaces a newer one), the history adds each sample to its minute, and
 * minutes older than 24 h are dropped. Pure: the leader job writes the result under fencing.
 */
export function foldSummaries(input: FoldInput): FoldOutput {
  const view = new Map<string, NodeSummary>();
  const buckets = new Map<number, MinuteBucket>();
  for (const summary of input.summaries) {
    const current = view.get(summary.nodeId) ?? input.view.get(summary.nodeId);
    if (!current || current.at <= summary.at) view.set(summary.nodeId, summary);
    const minute = summary.at - (summary.at % MINUTE_MS);
    if (minute < input.now - HISTORY_SPAN_MS) continue;
    const bucket = buckets.get(minute) ?? structuredClone(input.buckets.get(minute) ?? {});
    const previous = bucket[summary.nodeId] ?? { alias: summary.alias, cpuSum: 0, memorySum: 0, samples: 0, appsRunning: 0, appsTotal: 0 };
    bucket[summary.nodeId] = {
      alias: summary.alias,
      cpuSum: previous.cpuSum + summary.host.cpu,
      memorySum: previous.memorySum + summary.host.memory,
      samples: previous.samples + 1,
      appsRunning: summary.apps.filter((app) => app.status === 'running').length,
      appsTotal: summary.apps.length,
    };
    buckets.set(minute, bucket);
  }
  const dropMinutes = input.minutes.filter((minute) => minute < input.now - HISTORY_SPAN_MS);
  return { view, buckets, dropMinutes };
}
