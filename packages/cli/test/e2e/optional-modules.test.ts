import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { awaitReadyLine } from '../../src/daemon-control/await-ready.ts';
import { isAlive, runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture, waitForApp } from '@owl/test-support/apps';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const RECORDER = fileURLToPath(new URL('../fixtures/lean/record-modules.mjs', import.meta.url));
// The bundle's chunks of optional code, named by esbuild after the module each one starts with.
const OPTIONAL_CHUNKS: Record<string, RegExp> = {
  ioredis: /^built-.*\.mjs$/,
  'cluster code': /^cluster-node-.*\.mjs$/,
  'redis probe': /^probe-redis-.*\.mjs$/,
  selfsigned: /^selfsigned-.*\.mjs$/,
  'prom-client': /^prometheus-metrics-.*\.mjs$/,
};
// systeminformation's chunk, named after its entry (lib/index.js).
const SYSTEMINFORMATION = /^lib-.*\.mjs$/;
// A fast tick so the test sees samples within a second; read once by owld at start.
const FAST_TICK = { OWL_METRICS_INTERVAL_MS: '200' };

/** owld with a resolve hook that writes every module it loads; resolves once owld says it listens. */
async function startRecordedOwld(home: string, args: string[]): Promise<() => string[]> {
  const record = path.join(home, 'modules.txt');
  const child = spawn(process.execPath, ['--import', RECORDER, path.join(DIST, 'owld.mjs'), '--home', home, ...args], {
    env: { ...process.env, ...FAST_TICK, OWL_READY_FD: '3', OWL_RECORD_MODULES: record },
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onTestFinished(async () => {
    if (child.pid !== undefined && isAlive(child.pid)) {
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
  });
  expect(await awaitReadyLine(child.stdio[3] as Readable, 30_000)).toMatchObject({ pid: child.pid });
  return () => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean).map((url) => path.basename(new URL(url).pathname)) : []);
}

function loadedOptional(loaded: string[]): string[] {
  return Object.entries(OPTIONAL_CHUNKS)
    .filter(([, chunk]) => loaded.some((name) => chunk.test(name)))
    .map(([what]) => what);
}

describe('optional code loads on first use', () => {
  // Every command pays for what owl.mjs imports statically: zod (the contract's schemas) must
  // not be among it, or `owl ls` and `owl --version` parse ~100 KiB they never use.
  it('keeps zod out of what owl.mjs loads before any command runs', () => {
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      const text = readFileSync(path.join(DIST, name), 'utf8');
      for (const match of text.matchAll(/(?:^|[;\s}])import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.mjs)["']/g)) visit(match[1] as string);
    };
    visit('owl.mjs');
    expect(seen.size).toBeGreaterThan(1);
    const withZod = [...seen].filter((name) => readFileSync(path.join(DIST, name), 'utf8').includes('$ZodObject'));
    expect(withZod).toEqual([]);
  });

  it('names real chunks: the ioredis chunk holds ioredis', () => {
    const chunk = readdirSync(DIST).find((name) => OPTIONAL_CHUNKS['ioredis']?.test(name));
    expect(chunk).toBeDefined();
    expect(readFileSync(path.join(DIST, chunk as string), 'utf8')).toContain('maxRetriesPerRequest');
  });

  // `import { z } from 'zod'` hands esbuild zod's whole namespace, every locale included (~260
  // KiB the daemon and CLI would parse at each start); `import * as z` lets it shake them out.
  it('bundles zod without its translations (the Indonesian one stands for them all)', () => {
    const withLocale = readdirSync(DIST).filter((name) => name.endsWith('.mjs') && readFileSync(path.join(DIST, name), 'utf8').includes('Input tidak valid'));
    expect(withLocale).toEqual([]);
  });

  it('a daemon without cluster, TCP plane or TLS loads none of them, once its metrics run too', { timeout: 60_000 }, async () => {
    const home = tempHome();
    const loaded = await startRecordedOwld(home, []);
    // An app's CPU in `owl ls` comes from a metrics tick: once it shows, the metrics run.
    await startFixture(home, 'steady', 'forever.mjs');
    await waitForApp(home, 'steady', (row) => row.cpu !== null);
    expect(loadedOptional(loaded())).toEqual([]);
    // Host CPU and memory come from node:os each tick; systeminformation only on the first ask.
    expect(loaded().filter((name) => SYSTEMINFORMATION.test(name))).toEqual([]);
    const metrics = await runOwl(['metrics', '--json'], { home });
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(loaded().some((name) => SYSTEMINFORMATION.test(name))).toBe(true);
    expect(loadedOptional(loaded())).toEqual([]);
  });

  // The observation sees a chunk that is loaded: the TCP plane serves /metrics, so it loads
  // prom-client when it starts; TLS without a certificate generates one with selfsigned.
  it('a daemon with a TLS plane loads selfsigned and prom-client, and still not ioredis or the cluster code', { timeout: 60_000 }, async () => {
    const home = tempHome();
    const loaded = await startRecordedOwld(home, ['--tcp', '127.0.0.1:0', '--tls']);
    expect(loadedOptional(loaded())).toEqual(['selfsigned', 'prom-client']);
  });
});
