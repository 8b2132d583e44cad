import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OWL_BIN, runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture, waitForApp } from '@owl/test-support/apps';

const RECORDER = fileURLToPath(new URL('../fixtures/lean/record-modules.mjs', import.meta.url));
// The full CLI (commander and every command), a bundle of its own that owl.mjs loads by name.
const FULL_CLI_CHUNK = /^owl-cli\.mjs$/;

/** `owl --home HOME ...args` with a resolve hook preloaded: the dist files it loaded, by name. */
async function loadedFiles(home: string, args: string[]): Promise<{ code: number | null; files: string[] }> {
  const record = path.join(home, `modules-${args.join('_')}.txt`);
  const child = spawn(process.execPath, ['--import', RECORDER, OWL_BIN, '--home', home, ...args], {
    env: { ...process.env, OWL_URL: '', OWL_RECORD_MODULES: record },
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const urls = readFileSync(record, 'utf8').split('\n').filter((url) => url.startsWith('file:'));
  return { code, files: urls.map((url) => path.basename(new URL(url).pathname)) };
}

// `owl ls --` is the same call to commander (nothing after --), but the quick path leaves it to
// the full CLI: the two answers must be the same bytes and exit code.
describe('owl ls takes the quick path and answers as the full CLI does', () => {
  it('prints the same table and JSON as the full CLI, with and without apps', { timeout: 120_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    for (const args of [['ls'], ['ls', '--json']]) {
      const fast = await runOwl(args, { home });
      expect(fast).toEqual(await runOwl([...args, '--'], { home }));
      expect(fast.code).toBe(0);
    }
    expect((await runOwl(['ls'], { home })).stdout).toMatch(/^no apps; add one with/);
    // Stopped apps have no pid, uptime, CPU or memory that could change between two calls.
    await startFixture(home, 'web', 'forever.mjs');
    await startFixture(home, 'worker', 'forever.mjs');
    expect((await runOwl(['stop', 'all'], { home })).code).toBe(0);
    await waitForApp(home, 'worker', (row) => row.status === 'stopped');
    for (const args of [['ls'], ['list', '--json'], ['--json', 'ls', '--timeout', '10s']]) {
      const fast = await runOwl(args, { home });
      expect(fast).toEqual(await runOwl([...args, '--'], { home }));
      expect(fast.code).toBe(0);
    }
    expect((await runOwl(['ls'], { home })).stdout).toMatch(/^NAME +STATUS.*\nweb +stopped .*\nworker +stopped /);
  });

  it('loads no commander for owl ls; the full CLI loads it for what the quick path does not serve', { timeout: 60_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const fast = await loadedFiles(home, ['ls', '--json']);
    expect(fast.code).toBe(0);
    expect(fast.files.filter((name) => FULL_CLI_CHUNK.test(name))).toEqual([]);
    const full = await loadedFiles(home, ['ls', '--json', '--']);
    expect(full.code).toBe(0);
    expect(full.files.some((name) => FULL_CLI_CHUNK.test(name))).toBe(true);
  });

  it('a daemon that is not running: the same error and exit code as the full CLI', async () => {
    const home = tempHome();
    const fast = await runOwl(['ls'], { home });
    expect(fast.code).toBe(3);
    expect(fast.stderr).toMatch(/^owl: /);
    expect(fast).toEqual(await runOwl(['ls', '--'], { home }));
  });

  it('rejects bad flags and words with the full CLI\'s usage errors (exit 2)', async () => {
    const home = tempHome();
    const cases: Array<[string[], string]> = [
      [['ls', '--bogus'], "owl: unknown option '--bogus'"],
      [['ls', 'extra'], 'owl: too many arguments for \'list\'. Expected 0 arguments but got 1.'],
      [['ls', '--json=yes'], "owl: unknown option '--json=yes'"],
      [['ls', '--home'], "owl: option '--home <dir>' argument missing"],
      [['ls', '--timeout', '0'], 'owl: --timeout: expected a duration between 1ms and 1h like "5s" or "500ms", received "0"'],
    ];
    for (const [args, message] of cases) {
      const result = await runOwl(args, { home });
      expect({ args, code: result.code, stdout: result.stdout, first: result.stderr.split('\n')[0] }).toEqual({ args, code: 2, stdout: '', first: message });
    }
    const help = await runOwl(['ls', '--help'], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: owl list\|ls \[options\]/);
  });
});
