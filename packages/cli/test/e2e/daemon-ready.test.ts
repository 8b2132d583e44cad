import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RpcClient } from '@owl/rpc';
import { awaitReadyLine } from '../../src/daemon-control/await-ready.ts';
import { waitFor } from '@owl/test-support/wait-for';
import { isAlive, runOwl, tempHome } from '@owl/test-support/owl';

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
  it('writes its pid and version once the socket answers: the first call succeeds without a retry', { timeout: 60_000 }, async () => {
    const home = tempHome();
    const { child } = spawnOwld(home);
    const ready = await awaitReadyLine(child.stdio[3] as Readable, READY_WAIT_MS);
    expect(ready).toEqual({ pid: child.pid, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const client = await RpcClient.connect({ kind: 'local', home });
    try {
      expect(await client.call('daemon.ping', {})).toMatchObject({ pid: child.pid, version: ready?.version });
    } finally {
      await client.close();
    }
  });

  it('ends the pipe without a word when start-up fails, and exits 1 with the reason', { timeout: 60_000 }, async () => {
    const home = tempHome();
    writeFileSync(path.join(home, 'config.json'), '{ not json');
    const { child, exited, stderr } = spawnOwld(home);
    expect(await awaitReadyLine(child.stdio[3] as Readable, READY_WAIT_MS)).toBeNull();
    expect(await exited).toBe(1);
    expect(stderr()).toContain('config.json');
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
});
