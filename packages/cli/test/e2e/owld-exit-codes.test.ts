import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EXIT } from '@owl/rpc';
import { isAlive, readPid, runOwl, tempHome } from '@owl/test-support/owl';

const OWLD_BIN = fileURLToPath(new URL('../../dist/owld.mjs', import.meta.url));

/** Runs owld to its end (every case here refuses to start); its exit code and stderr. */
function runOwld(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [OWLD_BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe("owld's exit codes come from the same table as owl's", () => {
  it('an unknown flag is a usage error (exit 2) naming it, before anything starts', { timeout: 30_000 }, async () => {
    const home = tempHome();
    const refused = await runOwld(['--home', home, '--forground']);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toBe('owld: unknown option --forground\nusage: owld [--home DIR] [--foreground] [--tcp [host:]port] [--tls | --tls-cert FILE --tls-key FILE]\n');
    const missing = await runOwld(['--home', home, '--tcp']);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toContain('owld: --tcp: expected a value\n');
  });

  it('a second daemon for the same home exits 6 (already running), not 4 (unauthorized); so does owl daemon start', { timeout: 60_000 }, async () => {
    const home = tempHome();
    const started = await runOwl(['daemon', 'start'], { home });
    expect(started.code).toBe(0);
    const pid = readPid(path.join(home, 'daemon.pid'));
    onTestFinished(async () => {
      await runOwl(['daemon', 'stop'], { home });
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    });
    const second = await runOwld(['--home', home]);
    expect(EXIT.alreadyRunning).toBe(6);
    expect(second.code).toBe(EXIT.alreadyRunning);
    expect(second.stderr).toBe(`owld: owl daemon is already running (pid ${pid}, lock ${path.join(home, 'daemon.pid')})\n`);
    const again = await runOwl(['daemon', 'start'], { home });
    expect(again.code).toBe(EXIT.alreadyRunning);
    expect(readPid(path.join(home, 'daemon.pid'))).toBe(pid);
  });
});
