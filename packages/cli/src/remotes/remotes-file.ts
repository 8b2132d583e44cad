import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { OwlError, parseConfigJson, unreadableConfigError } from '@owl/rpc';

export const ALIAS_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** One remote daemon: its TCP plane URL, the token to present, the pinned certificate. */
export interface Remote {
  url: string;
  token?: string;
  fingerprint?: string;
}

export type Remotes = Record<string, Remote>;

/**
 * Where remotes live: `$OWL_CONFIG_DIR/remotes.json`, else the user's config directory
 * (`%APPDATA%\owl`, `$XDG_CONFIG_HOME/owl` or `~/.config/owl`). Per user, not per
 * OWL_HOME: the same aliases work whichever local daemon the shell points at.
 */
export function remotesFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OWL_CONFIG_DIR) return path.join(path.resolve(env.OWL_CONFIG_DIR), 'remotes.json');
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'owl', 'remotes.json');
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'owl', 'remotes.json');
}

function isRemote(value: unknown): value is Remote {
  if (typeof value !== 'object' || value === null) return false;
  const remote = value as Record<string, unknown>;
  return typeof remote.url === 'string' && ['string', 'undefined'].includes(typeof remote.token) && ['string', 'undefined'].includes(typeof remote.fingerprint);
}

export function readRemotes(file: string = remotesFile()): Remotes {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw unreadableConfigError(file, error);
  }
  const remotes = (parseConfigJson(file, text) as { remotes?: unknown } | null)?.remotes;
  if (typeof remotes !== 'object' || remotes === null) throw new OwlError('OWL_CONFIG_INVALID', `${file}: expected {"remotes": {...}}`);
  const result: Remotes = {};
  for (const [alias, remote] of Object.entries(remotes)) {
    if (!isRemote(remote)) throw new OwlError('OWL_CONFIG_INVALID', `${file}: remotes.${alias}: expected {url, token?, fingerprint?}`);
    result[alias] = remote;
  }
  return result;
}

/** Writes the file 0600 in a 0700 directory (it holds tokens), atomically by rename. */
export function writeRemotes(remotes: Remotes, file: string = remotesFile()): void {
  const directory = path.dirname(file);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ remotes }, null, 2)}\n`, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(temp, 0o600);
  renameSync(temp, file);
}
