import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixture } from '@owl/test-support/fixtures';
import { tempHome } from '@owl/test-support/owl';
import { runFile } from '@owl/test-support/run-file';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('npm install -g of the packed CLI', () => {
  it('puts a working `owl` on PATH outside the workspace: version, daemon start, an app, ls, stop', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'owl-npm-global-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const tarball = (await runFile(process.execPath, [path.join(ROOT, 'scripts/pack-cli.mjs'), '--out', work])).stdout.trim();
    const prefix = path.join(work, 'prefix');
    expect((await runFile('npm', ['install', '-g', '--prefix', prefix, tarball, '--no-audit', '--no-fund'], { timeout: 240_000 })).status).toBe(0);

    // Only the installed bin and node itself on PATH: nothing of the workspace is reachable.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.join(prefix, 'bin')}:${path.dirname(process.execPath)}` };
    delete env.OWL_HOME;
    const owl = (...args: string[]) => runFile('owl', args, { env, timeout: 60_000, cwd: work });
    const installed = realpathSync(path.join(prefix, 'bin', 'owl'));
    expect(installed.startsWith(realpathSync(prefix))).toBe(true);

    const version = await owl('--version');
    const cliVersion = (JSON.parse(readFileSync(path.join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
    expect(version).toMatchObject({ status: 0, stdout: `${cliVersion}\n` });

    const home = tempHome();
    const started = await owl('--home', home, 'daemon', 'start');
    expect(started.stderr).toBe('');
    expect(started.stdout).toMatch(/^owl daemon started \(pid \d+, home /);
    expect((await owl('--home', home, 'start', '--name', 'tick', '--', process.execPath, fixture('forever.mjs'))).status).toBe(0);
    const rows = JSON.parse((await owl('--home', home, 'ls', '--json')).stdout) as Array<{ name: string; status: string }>;
    expect(rows.map((row) => row.name)).toEqual(['tick']);
    expect(['launching', 'running']).toContain(rows[0]?.status);
    const stopped = await owl('--home', home, 'daemon', 'stop', '--with-apps');
    expect(stopped.stdout).toMatch(/^owl daemon stopped \(pid \d+\) with its apps\n$/);
  }, 300_000);
});
