import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runFile } from '@owl/test-support/run-file';
import yauzl from 'yauzl';
import { stopWineServer, WINE, wineEnv, wineUnavailableReason } from '../helpers/wine.ts';

const unavailable = wineUnavailableReason();
if (unavailable && process.env.OWL_REQUIRE_WINE === '1') throw new Error(`Wine tests required: ${unavailable}`);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Extracts every file of the zip under `dir` (the names are the bundle's own, checked below). */
function unzip(file: string, dir: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const names: string[] = [];
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('error', reject);
      zip.on('end', () => resolve(names));
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        const target = path.join(dir, entry.fileName);
        if (!target.startsWith(dir + path.sep)) return reject(new Error(`zip entry escapes: ${entry.fileName}`));
        mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          stream.pipe(createWriteStream(target)).on('close', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  });
}

describe.skipIf(unavailable !== null)('self-contained Windows bundle under Wine', () => {
  it('is built by one script and runs the daemon and `owl ls` with no Node on PATH', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'owl-bundle-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    const zipFile = (await runFile(process.execPath, [path.join(ROOT, 'scripts/bundle-windows.mjs'), '--out', work], { timeout: 300_000 })).stdout.trim();
    expect(path.basename(zipFile)).toMatch(/^owl-\d+\.\d+\.\d+-win-x64\.zip$/);

    const wine = await wineEnv();
    onTestFinished(() => {
      stopWineServer(wine);
      rmSync(wine.prefix, { recursive: true, force: true });
    });
    const driveC = path.join(wine.prefix, 'drive_c');
    const names = await unzip(zipFile, driveC);
    expect(names).toEqual(expect.arrayContaining(['owl/node.exe', 'owl/owl.cmd', 'owl/dist/owl.mjs', 'owl/dist/owld.mjs', 'owl/node_modules/koffi/package.json']));
    expect(names.some((name) => /^owl\/node_modules\/@koromix\/koffi-win32-x64\//.test(name))).toBe(true);

    // Only what Windows itself has on PATH (Wine's defaults), none of this machine's Node.
    const env = { ...wine.env, PATH: '/usr/bin:/bin' };
    const cmd = (...args: string[]): Promise<{ code: number; output: string }> => {
      const outFile = path.join(work, `out-${Math.random().toString(16).slice(2)}.txt`);
      const out = openSync(outFile, 'w');
      const child = spawn(WINE, ['cmd.exe', '/c', ...args], { env, stdio: ['ignore', out, out] });
      closeSync(out);
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code: code ?? -1, output: readFileSync(outFile, 'utf8') }));
      });
    };
    expect((await cmd('node', '--version')).code).not.toBe(0);

    const owl = (...args: string[]) => cmd('C:\\owl\\owl.cmd', '--home', 'C:\\owl-home', ...args);
    expect(await cmd('C:\\owl\\owl.cmd', '--version')).toMatchObject({ code: 0, output: expect.stringMatching(/^\d+\.\d+\.\d+\r?\n$/) });
    const started = await owl('daemon', 'start');
    expect(started.output).toMatch(/^owl daemon started \(pid \d+, home C:\\owl-home\)/);
    expect(started.code).toBe(0);
    expect(await owl('ls')).toMatchObject({ code: 0, output: expect.stringMatching(/^no apps; add one with: owl start/) });
    expect(readFileSync(path.join(driveC, 'owl-home', 'logs', 'daemon.log'), 'utf8')).toContain('windows: native bindings loaded');
    const stopped = await owl('daemon', 'stop');
    expect(stopped.code).toBe(0);
  }, 600_000);
});
