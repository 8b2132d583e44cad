import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runFile } from '@owl/test-support/run-file';
import { stopWineServer, toWinePath, WINE, windowsNode, wineEnv, wineUnavailableReason } from '../helpers/wine.ts';

const unavailable = wineUnavailableReason();
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const installedVersion = (name: string) => (JSON.parse(readFileSync(path.join(ROOT, 'packages/cli/node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

describe.skipIf(unavailable !== null)('npm install -g of the packed CLI with the Windows build of Node', () => {
  it('installs koffi\'s win32 binary and gives an owl that runs the daemon', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'owl-npm-win-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const tarball = (await runFile(process.execPath, [path.join(ROOT, 'scripts/pack-cli.mjs'), '--out', work])).stdout.trim();
    // Windows npm under Wine stalls on the network, so it installs --offline from a cache
    // filled here with the same registry packages (the cache format is the same on every OS).
    const cache = path.join(work, 'npm-cache');
    const koffi = installedVersion('koffi');
    expect((await runFile('npm', ['cache', 'add', `koffi@${koffi}`, `@koromix/koffi-win32-x64@${koffi}`, `blessed@${installedVersion('blessed')}`, '--cache', cache], { timeout: 240_000 })).status).toBe(0);
    // npm itself is JavaScript: the npm beside this machine's node, run by the Windows node.exe.
    const npmCli = path.join((await runFile('npm', ['root', '-g'])).stdout.trim(), 'npm', 'bin', 'npm-cli.js');
    expect(existsSync(npmCli)).toBe(true);

    const wine = await wineEnv();
    onTestFinished(() => {
      stopWineServer(wine);
      rmSync(wine.prefix, { recursive: true, force: true });
    });
    // As on Windows, where node.exe is on PATH when npm runs.
    const env = { ...wine.env, WINEPATH: toWinePath(path.dirname(windowsNode())) };
    const run = (args: string[]): Promise<{ code: number; output: string }> => {
      const outFile = path.join(work, `out-${Math.random().toString(16).slice(2)}.txt`);
      const out = openSync(outFile, 'w');
      const child = spawn(WINE, [windowsNode(), ...args], { env, stdio: ['ignore', out, out] });
      closeSync(out);
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code: code ?? -1, output: readFileSync(outFile, 'utf8') }));
      });
    };
    const installed = await run([toWinePath(npmCli), 'install', '-g', '--prefix', 'C:\\npm-global', toWinePath(tarball), '--offline', '--cache', toWinePath(cache), '--no-audit', '--no-fund']);
    expect(installed.code, installed.output).toBe(0);
    const prefix = path.join(wine.prefix, 'drive_c', 'npm-global');
    const modules = path.join(prefix, 'node_modules', '@owl', 'cli', 'node_modules');
    expect(existsSync(path.join(modules, '@koromix', 'koffi-win32-x64'))).toBe(true);
    expect(readFileSync(path.join(prefix, 'owl.cmd'), 'utf8')).toContain('"%dp0%\\node_modules\\@owl\\cli\\dist\\owl.mjs" %*');

    // What owl.cmd runs (Wine's cmd.exe does not follow npm's shim trick `goto ... || ...`).
    const owl = (...args: string[]) => run(['C:\\npm-global\\node_modules\\@owl\\cli\\dist\\owl.mjs', '--home', 'C:\\owl-home', ...args]);
    const cliVersion = (JSON.parse(readFileSync(path.join(ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
    expect(await owl('--version')).toEqual({ code: 0, output: `${cliVersion}\n` });
    expect((await owl('daemon', 'start')).output).toMatch(/^owl daemon started \(pid \d+, home C:\\owl-home\)/);
    expect(await owl('ls')).toMatchObject({ code: 0, output: expect.stringMatching(/^no apps; add one with/) });
    expect(readFileSync(path.join(wine.prefix, 'drive_c', 'owl-home', 'logs', 'daemon.log'), 'utf8')).toContain('windows: native bindings loaded');
    expect((await owl('daemon', 'stop')).code).toBe(0);
  }, 600_000);
});
