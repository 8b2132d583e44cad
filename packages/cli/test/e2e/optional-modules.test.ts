import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RpcClient } from '@owl/rpc';
import { awaitReadyLine } from '../../src/daemon-control/await-ready.ts';
import { isAlive, runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture, waitForApp } from '@owl/test-support/apps';
import { freePort } from '@owl/test-support/free-port';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const RECORDER = fileURLToPath(new URL('../fixtures/lean/record-modules.mjs', import.meta.url));
const BUILTINS_RECORDER = fileURLToPath(new URL('../fixtures/lean/record-builtins.mjs', import.meta.url));
// What `ws` brings with it; the local management plane needs none of it.
const WEB_BUILTINS = ['http', 'https', 'tls', 'crypto', 'zlib', '_http_client'];
// A string of ws's own frame parser, found in whichever chunk holds ws.
const WS_MARKER = 'Invalid WebSocket frame';
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

interface RecordedOwld {
  /** The dist files owld loaded so far. */
  loaded(): string[];
  /** Stops owld (SIGTERM, by its pid) and lists the Node built-ins it loaded in its life. */
  stop(): Promise<string[]>;
}

/** owld with a resolve hook that writes every module it loads; resolves once owld answers a call. */
async function startRecordedOwld(home: string, args: string[]): Promise<RecordedOwld> {
  const record = path.join(home, 'modules.txt');
  const builtins = path.join(home, 'owld-builtins.txt');
  const child = spawn(process.execPath, ['--import', RECORDER, '--import', BUILTINS_RECORDER, path.join(DIST, 'owld.mjs'), '--home', home, ...args], {
    env: { ...process.env, ...FAST_TICK, OWL_READY_FD: '3', OWL_RECORD_MODULES: record, OWL_RECORD_BUILTINS: builtins },
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && isAlive(child.pid)) {
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
  };
  onTestFinished(stop);
  expect(await awaitReadyLine(child.stdio[3] as Readable, 30_000)).toMatchObject({ pid: child.pid });
  // One answered call: what serving it loads is part of the record.
  const client = await RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: 30_000, callTimeoutMs: 30_000 });
  await client.call('daemon.ping', {}).finally(() => client.close());
  const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  return {
    loaded: () => lines(record).map((url) => path.basename(new URL(url).pathname)),
    async stop() {
      await stop();
      return lines(builtins);
    },
  };
}

/** The dist files among `names` that hold ws's own code. */
function withWs(names: Iterable<string>): string[] {
  return [...names].filter((name) => name.endsWith('.mjs') && existsSync(path.join(DIST, name)) && readFileSync(path.join(DIST, name), 'utf8').includes(WS_MARKER));
}

/** The files `entry` imports statically, itself included, following the chunks' import statements. */
function staticImportsOf(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const text = readFileSync(path.join(DIST, name), 'utf8');
    for (const match of text.matchAll(/(?:^|[;\s}])import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.mjs)["']/g)) visit(match[1] as string);
  };
  visit(entry);
  return seen;
}

/** Runs the built owl with both recorders: the dist files it loaded, and the Node built-ins. */
async function recordedOwl(home: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; chunks: string[]; builtins: string[] }> {
  const modules = path.join(home, `modules-${args.join('-')}-${Object.keys(env).length}.txt`);
  const builtins = path.join(home, `builtins-${args.join('-')}-${Object.keys(env).length}.txt`);
  const child = spawn(process.execPath, ['--import', RECORDER, '--import', BUILTINS_RECORDER, path.join(DIST, 'owl.mjs'), '--home', home, ...args], {
    env: { ...process.env, OWL_URL: '', ...env, OWL_RECORD_MODULES: modules, OWL_RECORD_BUILTINS: builtins },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  return { code, stdout, stderr, chunks: lines(modules).filter((url) => url.startsWith('file:')).map((url) => path.basename(new URL(url).pathname)), builtins: lines(builtins) };
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
    const seen = staticImportsOf('owl.mjs');
    expect(seen.size).toBeGreaterThan(1);
    const withZod = [...seen].filter((name) => readFileSync(path.join(DIST, name), 'utf8').includes('$ZodObject'));
    expect(withZod).toEqual([]);
  });

  // The local daemon is reached with the light WebSocket client; ws is for remote daemons.
  it('keeps ws out of what owl.mjs loads before any command runs, and in a chunk of its own', () => {
    expect(withWs(staticImportsOf('owl.mjs'))).toEqual([]);
    expect(withWs(readdirSync(DIST).filter((name) => /^open-remote-socket-.*\.mjs$/.test(name)).flatMap((name) => [...staticImportsOf(name)])).length).toBeGreaterThan(0);
  });

  it('owl ls --json loads neither ws nor http, https, tls, crypto or zlib; a remote call does', { timeout: 60_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const local = await recordedOwl(home, ['ls', '--json'], {});
    expect(local.code, local.stderr).toBe(0);
    expect(JSON.parse(local.stdout)).toEqual([]);
    expect(local.chunks.filter((name) => /^open-remote-socket-/.test(name))).toEqual([]);
    expect(local.builtins.filter((name) => WEB_BUILTINS.includes(name))).toEqual([]);
    // The control: a call to a remote daemon (none listens there) loads them, and the recorders see it.
    const remote = await recordedOwl(home, ['ls', '--json'], { OWL_URL: `ws://127.0.0.1:${await freePort()}` });
    expect(remote.code).toBe(3);
    expect(remote.chunks.some((name) => /^open-remote-socket-/.test(name))).toBe(true);
    expect(remote.builtins).toEqual(expect.arrayContaining(['http', 'net']));
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
    const { loaded } = await startRecordedOwld(home, []);
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
    const owld = await startRecordedOwld(home, ['--tcp', '127.0.0.1:0', '--tls']);
    expect(loadedOptional(owld.loaded())).toEqual(['selfsigned', 'prom-client']);
    // The control for the test below: the TCP plane's ws and web built-ins are seen when loaded.
    expect(withWs(owld.loaded()).length).toBeGreaterThan(0);
    expect(await owld.stop()).toEqual(expect.arrayContaining(['http', 'https', 'tls', 'zlib']));
  });

  // The management plane is the light WebSocket server over node:net: ws, and the built-ins
  // it brings (http, https, tls, zlib), are the TCP plane's alone.
  it('a daemon with no TCP plane loads neither ws nor http, https, tls or zlib, serving calls', { timeout: 60_000 }, async () => {
    const home = tempHome();
    const owld = await startRecordedOwld(home, []);
    expect(withWs(owld.loaded())).toEqual([]);
    const builtins = await owld.stop();
    expect(builtins).toContain('net');
    expect(builtins.filter((name) => ['http', 'https', 'tls', 'zlib', '_http_client', '_http_server'].includes(name))).toEqual([]);
  });
});
