import { realpath } from 'node:fs/promises';
import { readProcessExecutable } from '../process/executable-path.ts';
import { readProcessStartTime } from '../process/start-time.ts';
import { isPidRunning } from '../process/is-alive.ts';
import type { InstanceRecord } from '../state/daemon-state.ts';

async function canonical(file: string): Promise<string> {
  return realpath(file).catch(() => file);
}

/**
 * Is the recorded pid still the process we started? Pid alive AND same start time AND same
 * executable: a reused pid held by an unrelated process must never be adopted (or killed).
 */
export async function verifyRecordedProcess(record: InstanceRecord): Promise<{ ours: boolean; reason: string }> {
  if (record.pid === null) return { ours: false, reason: 'no pid recorded' };
  const startTime = (await isPidRunning(record.pid)) ? await readProcessStartTime(record.pid) : null;
  if (startTime === null) return { ours: false, reason: `pid ${record.pid} is gone` };
  if (record.startTime === null || record.startTime !== startTime) {
    return { ours: false, reason: `pid ${record.pid} started at ${startTime}, recorded ${record.startTime ?? 'unknown'}: reused by another process` };
  }
  if (record.executable !== null) {
    const executable = await readProcessExecutable(record.pid);
    if (executable !== null && (await canonical(executable)) !== (await canonical(record.executable))) {
      return { ours: false, reason: `pid ${record.pid} runs ${executable}, recorded ${record.executable}` };
    }
  }
  return { ours: true, reason: 'pid, start time and executable match' };
}
