import type { AppRow } from '@owl/rpc/contract';
import type { InstanceRunner } from './instance-runner.ts';

/** One `owl ls` row of an instance: its record, with CPU and memory of its tree from the latest metrics tick. */
export function rowOf(runner: InstanceRunner, usage: Map<number, { cpu: number; memory: number }>): AppRow {
  const { record } = runner;
  const live = record.pid !== null ? usage.get(record.pid) : undefined;
  const uptimeMs = runner.isLive && record.startedAt ? Math.max(0, Date.now() - Date.parse(record.startedAt)) : 0;
  return {
    name: runner.name,
    instance: record.index,
    status: record.status,
    pid: runner.isLive ? record.pid : null,
    restarts: record.restarts,
    uptimeMs,
    cpu: live?.cpu ?? null,
    memory: live?.memory ?? null,
    lastExit: record.lastExit,
    reason: record.reason,
  };
}
