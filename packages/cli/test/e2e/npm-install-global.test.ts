import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixture } from '@owl/test-support/fixtures';
import { tempHome } from '@owl/test-support/owl';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('npm install -g of the packed CLI', () => {
  it('puts a working `owl` on PATH outside the workspace: version, daemon start, an app, ls, stop', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'owl-npm-global-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const tarball = execFileSync(process.execPath, [path.join(ROOT, 'scripts/pack-cli.mjs'), '--out', work], { encoding: 'utf8' }).trim();
    const prefix = path.join(work, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, tarball, '--no-audit', '--no-fund'], { stdio: 'ignore', timeout: 240_000 });

    // Only the installed bin and node itself on PATH: nothing of the workspace is reachable.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.join(prefix, 'bin')}:${path.dirname(process.execPath)}` };
    delete env.OWL_HOME;
    const owl = (...args: string[]) => spawnSync('owl', args, { env, encoding: 'utf8', timeout: 60_000, cwd: work });
    const installed = realpathSync(path.join(prefix, 'bin', 'owl'));
    expect(installed.startsWith(realpathSync(prefix))).toBe(true);

    const version = owl('--version');
    const cliVersion = (JSON.parse(readFileSync(path.join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
    expect(version).toMatchObject({ status: 0, stdout: `${cliVersion}\n` });

    const home = tempHome();
    const started = owl('--home', home, 'daemon', 'start');
    expect(started.stderr).toBe('');
    expect(started.stdout).toMatch(/^owl daemon started \(pid \d+, home /);
    expect(owl('--home', home, 'start', '--name', 'tick', '--', process.execPath, fixture('forever.mjs')).status).toBe(0);
    const rows = JSON.parse(owl('--home', home, 'ls', '--json').stdout) as Array<{ name: string; status: string }>;
    expect(rows.map((row) => row.name)).toEqual(['tick']);
    expect(['launching', 'running']).toContain(rows[0]?.status);
    const stopped = owl('--home', home, 'daemon', 'stop', '--with-apps');
    expect(stopped.stdout).toMatch(/^owl daemon stopped \(pid \d+\) with its apps\n$/);
  }, 300_000);
});
