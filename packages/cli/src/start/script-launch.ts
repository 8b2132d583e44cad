import { stat } from 'node:fs/promises';
import path from 'node:path';
import { findOnPath } from './find-on-path.ts';

/** What `owl start <script>` runs: the interpreter (when the file needs one), then the file. */
export interface ScriptLaunch {
  command: string;
  args: string[];
  /** The absolute file, or null for a bare command found on PATH. */
  file: string | null;
}

export interface ScriptLaunchOptions {
  cwd: string;
  /** `--interpreter`: a command, or "none" to run the file itself. */
  interpreter?: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

/**
 * The interpreter PM2 users expect for a script's extension, or null to run the file itself.
 * Node scripts run with the node that runs owl, as PM2 does, so a daemon started as a service
 * (with a PATH that lacks a version manager's node) still finds it.
 */
export function interpreterFor(file: string, platform: NodeJS.Platform = process.platform): string[] | null {
  const windows = platform === 'win32';
  switch (path.extname(file).toLowerCase()) {
    case '.js':
    case '.mjs':
    case '.cjs':
      return [process.execPath];
    case '.py':
      return [windows ? 'py' : 'python3'];
    case '.sh':
      return ['sh'];
    case '.ps1':
      return windows ? ['powershell.exe', '-NoProfile', '-ExecutionPolicy', 'Bypass', '-File'] : ['pwsh', '-NoProfile', '-File'];
    case '.bat':
    case '.cmd':
      return ['cmd.exe', '/d', '/c'];
    default:
      return null;
  }
}

/** An app name from a script's base name: `./api/server.js` -> `server`. */
export function appNameFrom(target: string): string {
  const base = path.basename(target, path.extname(target));
  const name = base.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return name === '' ? 'app' : name;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * How to run `target` when it is a file (relative to cwd) or a command on PATH; null when it is
 * neither. A file is passed to the interpreter as an absolute path, since the app may run in
 * another directory later (`--cwd`).
 */
export async function resolveScriptLaunch(target: string, options: ScriptLaunchOptions): Promise<ScriptLaunch | null> {
  const file = path.resolve(options.cwd, target);
  if (await isFile(file)) {
    const interpreter = options.interpreter === undefined ? interpreterFor(file, options.platform) : options.interpreter === 'none' ? null : [options.interpreter];
    if (interpreter === null) return { command: file, args: [], file };
    const [command, ...args] = interpreter as [string, ...string[]];
    return { command, args: [...args, file], file };
  }
  if (/[\\/]/.test(target)) return null;
  const found = await findOnPath(target, options.env ?? process.env, options.platform);
  if (found === null) return null;
  if (options.interpreter !== undefined && options.interpreter !== 'none') return { command: options.interpreter, args: [found], file: null };
  return { command: target, args: [], file: null };
}
