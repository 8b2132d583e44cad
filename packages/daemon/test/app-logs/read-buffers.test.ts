import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { DEFAULT_LOG_LIMITS } from '../../src/app-logs/log-limits.ts';
import { LogTailer } from '../../src/app-logs/log-tailer.ts';
import { testTailerDeps } from '../helpers/tailer-deps.ts';
import { ReadBufferPool } from '../../src/app-logs/read-buffers.ts';
import { rotatedPath } from '../../src/app-logs/rotation/rotated-paths.ts';

/** Counts the buffers it had to allocate (no idle one to lend) against all it lent. */
class CountingPool extends ReadBufferPool {
  fresh = 0;
  lent = 0;

  override acquire(): Buffer {
    if (this.idleCount === 0) this.fresh += 1;
    this.lent += 1;
    return super.acquire();
  }
}

describe('ReadBufferPool', () => {
  it('lends a buffer given back instead of allocating another', () => {
    const pool = new ReadBufferPool(1024);
    const first = pool.acquire();
    expect(first.length).toBe(1024);
    pool.release(first);
    expect(pool.acquire()).toBe(first);
  });

  it('keeps at most `keep` idle buffers, and only its own, once each', () => {
    const pool = new ReadBufferPool(1024, { keep: 2 });
    const lent = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(new Set(lent).size).toBe(3);
    for (const buffer of lent) pool.release(buffer);
    expect(pool.idleCount).toBe(2);
    pool.release(Buffer.alloc(512));
    const again = pool.acquire();
    pool.release(again);
    pool.release(again);
    expect(pool.idleCount).toBe(2);
  });

  it('drops its idle buffers once none was given back for idleMs', async () => {
    const pool = new ReadBufferPool(1024, { idleMs: 20 });
    pool.release(pool.acquire());
    expect(pool.idleCount).toBe(1);
    await waitFor(() => pool.idleCount === 0);
  });
});

describe('LogTailer reads through the pool', () => {
  it('reads and rotates a 4 MiB burst with one 1 MiB buffer, every line once', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'owl-readbuf-'));
    onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
    const file = path.join(directory, 'out.log');
    writeFileSync(file, '');
    const pool = new CountingPool(DEFAULT_LOG_LIMITS.readChunkBytes);
    const seen: string[] = [];
    const deps = testTailerDeps(seen, { readBuffers: pool, rotation: () => ({ maxSize: 1024 * 1024, keep: 10 }) });
    const tailer = new LogTailer({ app: 'flood', instance: 0, stream: 'out', file }, deps);
    onTestFinished(() => tailer.stop());
    tailer.start();

    // 64-byte lines: 16,384 per MiB, 4 MiB appended in one go (the tail reads it in chunks).
    const lines = Array.from({ length: 4 * 16_384 }, (_, index) => `line ${String(index).padStart(57, '0')}`);
    appendFileSync(file, `${lines.join('\n')}\n`);
    await waitFor(() => seen.length >= lines.length && existsSync(rotatedPath(file, 1)), { timeoutMs: 20_000 });

    expect(seen).toEqual(lines);
    expect(readFileSync(rotatedPath(file, 1), 'utf8').length).toBeGreaterThan(0);
    // Many reads and rotation copies, one buffer: before, each took a fresh one.
    expect(pool.lent).toBeGreaterThan(4);
    expect(pool.fresh).toBe(1);
  });
});
