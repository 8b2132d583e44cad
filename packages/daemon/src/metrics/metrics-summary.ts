import type { MetricsPoint, MetricsSummary } from '@owl/rpc/contract';

/** Average and peak of CPU and memory over history points; null when there are none. */
export function summarizePoints(points: readonly MetricsPoint[]): MetricsSummary | null {
  if (points.length === 0) return null;
  let cpuSum = 0;
  let memorySum = 0;
  let cpuMax = 0;
  let memoryMax = 0;
  for (const point of points) {
    cpuSum += point.cpu;
    memorySum += point.memory;
    cpuMax = Math.max(cpuMax, point.cpu);
    memoryMax = Math.max(memoryMax, point.memory);
  }
  return {
    cpuAvg: Math.round((cpuSum / points.length) * 10) / 10,
    cpuMax: Math.round(cpuMax * 10) / 10,
    memoryAvg: Math.round(memorySum / points.length),
    memoryMax: Math.round(memoryMax),
  };
}

/** History points as the contract carries them: CPU to one decimal, memory in whole bytes. */
export function toMetricsPoints(points: ReadonlyArray<{ at: number; values: readonly number[] }>): MetricsPoint[] {
  return points.map((point) => ({
    at: point.at,
    cpu: Math.round((point.values[0] ?? 0) * 10) / 10,
    memory: Math.round(point.values[1] ?? 0),
  }));
}
