import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RpcClient } from '@owl/rpc';
import { awaitReadyLine } from '../../src/daemon-control/await-ready.ts';
import { waitFor } from '@owl/test-support/wait-for';
import { isAlive, owlJson, runOwl, tempHome } from '@owl/test-support/owl';

const OWLD_BIN = fileURLToPath(new URL('../../dist/owld.mjs', import.meta.url));
// A bound for a daemon that never says anything, not a timing claim.
const READY_WAIT_MS = 30_000;

/** owld as `owl daemon start` runs it: a pipe as fd 3, named by OWL_READY_FD. */
function spawnOwld(home: string) {
  const child = spawn(process.execPath, [OWLD_BIN, '--home', home], { env: { ...process.env, OWL_READY_FD: '3' }, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.pid !== undefined && isAlive(child.pid)) {
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
  });
  return { child, exited, stderr: () => stderr };
}

describe('owld tells the starting CLI it listens, on an inherited pipe', () => {
  it('writes its pid, version and planes once the socket answers: the first call succeeds without a retry', { timeout: 60_000 }, async () => {
    const home = tempHome();
    const { child } = spawnOwld(home);
    const ready = await awaitReadyLine(child.stdio[3] as Readable, READY_WAIT_MS);
    expect(ready).toEqual({ pid: child.pid, version: expect.stringMatching(/^\d+\.\d+\.\d+/), planes: [{ kind: 'local', address: path.join(home, 'owl.sock') }] });
    const client = await RpcClient.connect({ kind: 'local', home });
    try {
      expect(await client.call('daemon.ping', {})).toMatchObject({ pid: child.pid, version: (ready as { version: string }).version });
    } finally {
      await client.close();
    }
  });

  it('says why on the pipe when start-up fails, and exits 1 with the reason', { timeout: 60_000 }, async () => {
    const home = tempHome();
    writeFileSync(path.join(home, 'config.json'), '{ not json');
    const { child, exited, stderr } = spawnOwld(home);
    const line = await awaitReadyLine(child.stdio[3] as Readable, READY_WAIT_MS);
    expect(line).toEqual({
      error: { code: 'OWL_CONFIG_INVALID', message: expect.stringContaining(`${path.join(home, 'config.json')}:1:3: invalid JSON`), data: { file: path.join(home, 'config.json'), line: 1, column: 3 } },
    });
    expect(await exited).toBe(1);
    expect(stderr()).toContain('config.json');
  });

  it('owl daemon start with a config.json owld cannot read: exit 3 with owld\'s reason, and no daemon left', { timeout: 60_000 }, async () => {
    const home = tempHome();
    writeFileSync(path.join(home, 'config.json'), '{ not json');
    const started = await runOwl(['daemon', 'start'], { home });
    expect(started.code).toBe(3);
    expect(started.stderr).toBe(`owl: owl daemon exited during start-up: ${path.join(home, 'config.json')}:1:3: invalid JSON: expected a property name in double quotes, found "not"\n`);
    expect(started.stdout).toBe('');
    expect(existsSync(path.join(home, 'daemon.pid'))).toBe(false);
  });

  it('owl daemon start --json names the planes the daemon serves, as daemon status does', { timeout: 60_000 }, async () => {
    const home = tempHome();
    const started = await runOwl(['daemon', 'start', '--json', '--tcp', '127.0.0.1:0'], { home });
    expect(started.code, started.stderr).toBe(0);
    const printed = JSON.parse(started.stdout) as { pid: number; planes: unknown[] };
    const status = await owlJson<{ pid: number; planes: unknown[] }>(['daemon', 'status'], home);
    expect(printed.pid).toBe(status.pid);
    expect(printed.planes).toEqual(status.planes);
    expect(printed.planes).toEqual([{ kind: 'local', address: path.join(home, 'owl.sock') }, { kind: 'tcp', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/), tls: false }]);
  });

  it('owl daemon start returns the daemon that listens, and its apps never inherit OWL_READY_FD', { timeout: 60_000 }, async () => {
    const home = tempHome();
    const started = await runOwl(['daemon', 'start', '--json'], { home });
    expect(started.code).toBe(0);
    const script = path.join(home, 'print-ready-fd.js');
    writeFileSync(script, "console.log('ready fd: ' + (process.env.OWL_READY_FD ?? 'unset')); setInterval(() => {}, 60_000);\n");
    expect((await runOwl(['start', '--name', 'env-check', '--', process.execPath, script], { home })).code).toBe(0);
    const output = await waitFor(async () => {
      const logs = await runOwl(['logs', 'env-check', '--lines', '5'], { home });
      return logs.stdout.includes('ready fd:') ? logs.stdout : undefined;
    });
    expect(output).toContain('ready fd: unset');
  });

  it('says ready once it has restored its apps: a call made at once sees the adopted app running', { timeout: 90_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const script = path.join(home, 'idle.js');
    writeFileSync(script, 'setInterval(() => {}, 60_000);\n');
    expect((await runOwl(['start', '--name', 'kept', '--', process.execPath, script], { home })).code).toBe(0);
    const before = await waitFor(async () => (await owlJson<Array<{ name: string; status: string; pid: number | null }>>(['ls'], home)).find((row) => row.status === 'running' && row.pid !== null));
    onTestFinished(() => {
      if (before.pid !== null && isAlive(before.pid)) process.kill(before.pid, 'SIGKILL');
    });
    // The app keeps running while no daemon runs; the next daemon adopts it at start.
    expect((await runOwl(['daemon', 'stop'], { home })).code).toBe(0);
    const { child } = spawnOwld(home);
    const ready = await awaitReadyLine(child.stdio[3] as Readable, READY_WAIT_MS);
    expect(ready).toMatchObject({ pid: child.pid });
    const client = await RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: READY_WAIT_MS, callTimeoutMs: READY_WAIT_MS });
    try {
      const rows = await client.call('apps.list', {});
      expect(rows).toEqual([expect.objectContaining({ name: 'kept', status: 'running', pid: before.pid })]);
    } finally {
      await client.close();
    }
    expect((await runOwl(['daemon', 'stop', '--with-apps'], { home })).code).toBe(0);
  });
});
