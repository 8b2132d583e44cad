import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RoostVersionBody } from '@owl/rpc/contract';
import { ChunkStore } from '../../src/roost/chunk-store.ts';
import { sha256Hex } from '../../src/roost/chunking.ts';
import { assembleVersion, pointLink } from '../../src/roost/assemble-version.ts';
import { keptAfterPublish, pickRollbackTarget } from '../../src/roost/roost-service.ts';
import { versionIdOf } from '../../src/roost/version-body.ts';

function tempDir(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-roost-store-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

function bodyOf(files: Record<string, string>): { body: RoostVersionBody; chunks: Map<string, Buffer> } {
  const chunks = new Map<string, Buffer>();
  const entries = Object.entries(files).map(([filePath, text]) => {
    const data = Buffer.from(text);
    chunks.set(sha256Hex(data), data);
    return { path: filePath, size: data.length, mode: 0o644, chunks: [{ hash: sha256Hex(data), size: data.length }] };
  });
  return { body: { schemaVersion: 1, mediaType: 'application/vnd.owl.roost.version.v1+json', config: {}, files: entries }, chunks };
}

describe('roost chunk store', () => {
  it('stores a chunk under chunks/ab/<sha256> and refuses bytes that do not match their name', async () => {
    const store = new ChunkStore(path.join(tempDir(), 'chunks'));
    const data = Buffer.from('hello roost');
    const hash = sha256Hex(data);
    await store.put(hash, data);
    expect(readFileSync(path.join(store.directory, hash.slice(0, 2), hash), 'utf8')).toBe('hello roost');
    await expect(store.put('0'.repeat(64), data)).rejects.toThrow(`chunk ${'0'.repeat(64)} refused: its 11 bytes hash to ${hash}`);
  });

  it('GC removes old unreferenced chunks and keeps referenced and young ones', async () => {
    const store = new ChunkStore(path.join(tempDir(), 'chunks'));
    const [kept, old, young] = ['kept', 'old', 'young'].map((text) => ({ hash: sha256Hex(Buffer.from(text)), data: Buffer.from(text) }));
    for (const chunk of [kept, old, young]) await store.put(chunk!.hash, chunk!.data);
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const chunk of [kept, old]) utimesSync(store.pathOf(chunk!.hash), hourAgo, hourAgo);
    expect(await store.collect(new Set([kept!.hash]), 60_000)).toEqual({ removed: 1, bytes: 3 });
    expect(await store.has(kept!.hash)).toBe(true);
    expect(await store.has(old!.hash)).toBe(false);
    expect(await store.has(young!.hash)).toBe(true);
  });
});

describe('roost assembly and switch', () => {
  it('assembles a version tree from chunks and flips the link between versions', async () => {
    const home = tempDir();
    const store = new ChunkStore(path.join(home, 'chunks'));
    const one = bodyOf({ 'index.html': 'one', 'a/b/deep.txt': 'deep' });
    const two = bodyOf({ 'index.html': 'two' });
    for (const [hash, data] of [...one.chunks, ...two.chunks]) await store.put(hash, data);
    const treeOne = path.join(home, 'trees', 'site', versionIdOf(one.body));
    const treeTwo = path.join(home, 'trees', 'site', versionIdOf(two.body));
    await assembleVersion(one.body, store, path.join(home, 'staging'), treeOne);
    await assembleVersion(two.body, store, path.join(home, 'staging'), treeTwo);
    const link = path.join(home, 'site');
    await pointLink(link, treeOne);
    expect(readFileSync(path.join(link, 'a', 'b', 'deep.txt'), 'utf8')).toBe('deep');
    expect(statSync(path.join(link, 'index.html')).mode & 0o777).toBe(0o644);
    await pointLink(link, treeTwo);
    expect(readlinkSync(link)).toBe(treeTwo);
    // The dropped file is gone from the current version, still there in the kept one.
    expect(() => statSync(path.join(link, 'a'))).toThrow(/ENOENT/);
    expect(readFileSync(path.join(treeOne, 'index.html'), 'utf8')).toBe('one');
  });

  it('leaves no tree when a chunk is missing', async () => {
    const home = tempDir();
    const store = new ChunkStore(path.join(home, 'chunks'));
    const { body } = bodyOf({ 'x.txt': 'never stored' });
    const tree = path.join(home, 'trees', 'site', versionIdOf(body));
    await expect(assembleVersion(body, store, path.join(home, 'staging'), tree)).rejects.toThrow(`roost file "x.txt": chunk ${body.files[0]?.chunks[0]?.hash} is missing from the store`);
    expect(() => statSync(tree)).toThrow(/ENOENT/);
  });
});

describe('roost rollback target', () => {
  const ids = ['c', 'b', 'a'].map((letter) => letter.repeat(64));
  const pointer = { current: ids[0] as string, kept: ids.map((versionId) => ({ versionId, publishedAt: '2026-01-01T00:00:00.000Z' })), switchedAt: '2026-01-01T00:00:00.000Z' };

  it('picks the version published before the current one, or --to by prefix', () => {
    expect(pickRollbackTarget('site', pointer, undefined)).toBe(ids[1]);
    expect(pickRollbackTarget('site', { ...pointer, current: ids[1] as string }, undefined)).toBe(ids[2]);
    expect(pickRollbackTarget('site', pointer, 'aaaaaa')).toBe(ids[2]);
  });

  it('names what is missing', () => {
    expect(() => pickRollbackTarget('site', { ...pointer, current: ids[2] as string }, undefined)).toThrow(`roost "site" keeps no version older than ${'a'.repeat(12)} to roll back to`);
    expect(() => pickRollbackTarget('site', pointer, 'dddddd')).toThrow('roost "site" keeps no version dddddd (kept: cccccccccccc, bbbbbbbbbbbb, aaaaaaaaaaaa)');
  });
});

describe('roost kept versions after a publish', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const entry = (letter: string): { versionId: string; publishedAt: string } => ({ versionId: letter.repeat(64), publishedAt: at });

  it('keeps the version that was live (also after a rollback), then the newest others', () => {
    const rolledBack = { current: 'a'.repeat(64), kept: [entry('c'), entry('b'), entry('a')], switchedAt: at };
    expect(keptAfterPublish(rolledBack, 'd'.repeat(64), at, 3).map((kept) => kept.versionId[0])).toEqual(['d', 'a', 'c']);
    expect(keptAfterPublish(null, 'd'.repeat(64), at, 3).map((kept) => kept.versionId[0])).toEqual(['d']);
    // Publishing a kept version again moves it to the front without a duplicate.
    const live = { current: 'c'.repeat(64), kept: [entry('c'), entry('b')], switchedAt: at };
    expect(keptAfterPublish(live, 'b'.repeat(64), at, 3).map((kept) => kept.versionId[0])).toEqual(['b', 'c']);
  });
});
