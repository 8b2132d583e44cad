import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import { describe, expect, it, onTestFinished } from 'vitest';
import { StateWriter, type WriteHealth } from '../../src/state/state-writer.ts';
import { waitFor } from '@owl/test-support/wait-for';
import { mountSmallTmpfs } from '@owl/test-support/small-tmpfs';
import { spawnSync } from 'node:child_process';

function tempDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-writer-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

function writerIn(directory: string, health: WriteHealth[] = [], before?: () => Promise<void>): StateWriter<{ n: number }> {
  const writer = new StateWriter<{ n: number }>({
    file: path.join(directory, 'state.json'),
    prevFile: path.join(directory, 'state.json.prev'),
    hasCurrent: false,
    serialize: (value) => JSON.stringify(value),
    onHealth: (writes) => health.push(writes),
    ...(before ? { before } : {}),
  });
  onTestFinished(() => writer.close());
  return writer;
}

describe('StateWriter', () => {
  it('save resolves once the value is on disk; values saved meanwhile coalesce into the newest', async () => {
    const directory = tempDirectory();
    const writer = writerIn(directory);
    const saves = Array.from({ length: 20 }, (_, n) => writer.save({ n }));
    await Promise.all(saves);
    expect(JSON.parse(readFileSync(path.join(directory, 'state.json'), 'utf8'))).toEqual({ n: 19 });
    expect(writer.pending).toBe(false);
    await writer.save({ n: 20 });
    expect(JSON.parse(readFileSync(path.join(directory, 'state.json.prev'), 'utf8'))).toEqual({ n: 19 });
  });

  it('updates of one turn make one write, which waits for what must reach the disk first (before)', async () => {
    const directory = tempDirectory();
    const order: string[] = [];
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const writer = writerIn(directory, [], async () => {
      order.push('before');
      await gate;
      order.push('gate opened');
    });
    for (let n = 1; n <= 5; n += 1) writer.update({ n });
    expect(order).toEqual([]);
    const flushed = writer.flush().then(() => order.push('on disk'));
    openGate();
    await flushed;
    expect(order).toEqual(['before', 'gate opened', 'on disk']);
    expect(JSON.parse(readFileSync(path.join(directory, 'state.json'), 'utf8'))).toEqual({ n: 5 });
  });

  it('a state handed over with updateWith is taken once, when its write starts, as the newest change', async () => {
    const directory = tempDirectory();
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const writer = writerIn(directory, [], () => gate);
    let current = 0;
    let taken = 0;
    const take = (): { n: number } => {
      taken += 1;
      return { n: current };
    };
    // A burst of changes while the write waits for `before`: none of them is snapshotted yet.
    for (let n = 1; n <= 50; n += 1) {
      current = n;
      writer.updateWith(take);
    }
    await waitFor(() => writer.pending);
    expect(taken).toBe(0);
    const flushed = writer.flush();
    expect(taken).toBe(1);
    openGate();
    await flushed;
    expect(taken).toBe(1);
    expect(JSON.parse(readFileSync(path.join(directory, 'state.json'), 'utf8'))).toEqual({ n: 50 });
  });

  it('a failed write rejects with OWL_STATE_WRITE_FAILED, keeps the newest value and retries until it lands', async () => {
    const root = tempDirectory();
    // A home whose directory is missing: every write fails (ENOENT) until it is created.
    const directory = path.join(root, 'missing');
    const health: WriteHealth[] = [];
    const writer = writerIn(directory, health);
    const error = await writer.save({ n: 1 }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(OwlError);
    expect((error as OwlError).code).toBe('OWL_STATE_WRITE_FAILED');
    expect((error as OwlError).message).toBe(
      `cannot save the new state to ${path.join(directory, 'state.json')}: ENOENT (ENOENT: no such file or directory, open '${path.join(directory, 'state.json')}.${process.pid}.tmp'); the change is in effect in the daemon, which retries the write until it lands`,
    );
    writer.update({ n: 2 });
    expect(writer.health.ok).toBe(false);
    expect(writer.pending).toBe(true);
    mkdirSync(directory);
    // Nobody saves again: the retry alone brings the newest value to disk.
    await waitFor(() => writer.health.ok, { timeoutMs: 15_000, message: 'the retry never landed' });
    expect(JSON.parse(readFileSync(path.join(directory, 'state.json'), 'utf8'))).toEqual({ n: 2 });
    expect(writer.pending).toBe(false);
    expect(health.map((entry) => entry.ok)).toEqual([false, true]);
    expect(readdirSync(directory)).toEqual(['state.json']);
  });

  it('a read-only home (EROFS) fails the save; made writable again, the retry lands', async (context) => {
    const mounted = mountSmallTmpfs('1m');
    if ('skip' in mounted) {
      console.warn(mounted.skip);
      return context.skip();
    }
    const writer = writerIn(mounted.directory);
    await writer.save({ n: 1 });
    expect(spawnSync('mount', ['-o', 'remount,ro', mounted.directory]).status).toBe(0);
    const error = await writer.save({ n: 2 }).catch((failure: unknown) => failure);
    expect((error as OwlError).code).toBe('OWL_STATE_WRITE_FAILED');
    expect((error as OwlError).data).toMatchObject({ errno: 'EROFS' });
    expect(spawnSync('mount', ['-o', 'remount,rw', mounted.directory]).status).toBe(0);
    await waitFor(() => writer.health.ok, { timeoutMs: 15_000, message: 'the retry never landed' });
    expect(JSON.parse(readFileSync(path.join(mounted.directory, 'state.json'), 'utf8'))).toEqual({ n: 2 });
    expect(JSON.parse(readFileSync(path.join(mounted.directory, 'state.json.prev'), 'utf8'))).toEqual({ n: 1 });
  });
});
