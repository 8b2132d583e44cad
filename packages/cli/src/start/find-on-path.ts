import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';

async function isExecutable(file: string, windows: boolean): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (!windows) await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first executable named `command` on the PATH of env (with PATHEXT's extensions on
 * Windows), or null. Only for telling "a command" from "a typo" before asking the daemon,
 * which resolves the command again with the app's own environment when it launches.
 */
export async function findOnPath(command: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const windows = platform === 'win32';
  const pathKey = Object.keys(env).find((key) => (windows ? key.toUpperCase() === 'PATH' : key === 'PATH'));
  const directories = (pathKey === undefined ? '' : (env[pathKey] ?? '')).split(path.delimiter).filter((entry) => entry !== '');
  const extensions = windows ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((entry) => entry !== '')] : [''];
  for (const directory of directories) {
    for (const extension of extensions) {
      const candidate = path.join(directory, command + extension);
      if (await isExecutable(candidate, windows)) return candidate;
    }
  }
  return null;
}
