import { IdleSweep } from '../../src/app-logs/idle-sweep.ts';
import { DEFAULT_LOG_LIMITS } from '../../src/app-logs/log-limits.ts';
import type { TailerDeps } from '../../src/app-logs/log-tailer.ts';
import { ReadBufferPool } from '../../src/app-logs/read-buffers.ts';

/** Deps for a LogTailer under test: quick polls, every line followed and pushed to `seen`. */
export function testTailerDeps(seen: string[], overrides: Partial<TailerDeps> = {}): TailerDeps {
  const limits = { ...DEFAULT_LOG_LIMITS, pollMinMs: 5, pollMaxMs: 20 };
  let seq = 0;
  return {
    limits,
    readBuffers: new ReadBufferPool(limits.readChunkBytes),
    idleSweep: new IdleSweep(limits.watchedPollMaxMs),
    nextSeq: () => ++seq,
    rotation: () => ({ maxSize: 0, keep: 0 }),
    writersStopped: () => true,
    writerRoots: () => [],
    followed: () => true,
    onLines: (_target, entries) => {
      for (const entry of entries) seen.push(entry.line);
    },
    info: () => undefined,
    warn: () => undefined,
    ...overrides,
  };
}
