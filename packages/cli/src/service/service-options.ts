import { homedir } from 'node:os';
import path from 'node:path';
import { OwlError } from '@owl/rpc';

export const SERVICE_MANAGERS = ['systemd', 'launchd', 'windows'] as const;
export type ServiceManagerKind = (typeof SERVICE_MANAGERS)[number];
export type ServiceScope = 'system' | 'user';

/** What `owl service <verb>` acts on, validated once from the flags. */
export interface ServiceOptions {
  manager: ServiceManagerKind;
  scope: ServiceScope;
  /** Install into this directory instead of `/` (files only; nothing is started). */
  root: string | null;
  /** The daemon's OWL_HOME as the service will see it. */
  home: string;
  /** The account the unit belongs to (user scope) or runs as (system scope). */
  user: string;
}

export interface ServiceFlags {
  user?: boolean;
  root?: string;
  manager?: string;
}

function defaultManager(): ServiceManagerKind {
  if (process.platform === 'win32') return 'windows';
  if (process.platform === 'darwin') return 'launchd';
  return 'systemd';
}

/** Where a service's daemon keeps its state unless --home says otherwise. */
function defaultServiceHome(manager: ServiceManagerKind, scope: ServiceScope): string {
  if (manager === 'windows') return path.win32.join(process.env.ProgramData ?? 'C:\\ProgramData', 'owl');
  if (scope === 'user') return path.join(homedir(), '.owl');
  return manager === 'launchd' ? '/Library/Application Support/owl' : '/var/lib/owl';
}

function currentUser(): string {
  return process.env.USER ?? process.env.USERNAME ?? process.env.LOGNAME ?? 'root';
}

export function parseServiceOptions(flags: ServiceFlags, explicitHome: string | undefined): ServiceOptions {
  const manager = flags.manager ?? defaultManager();
  if (!(SERVICE_MANAGERS as readonly string[]).includes(manager)) {
    throw new OwlError('OWL_USAGE', `--manager: expected one of ${SERVICE_MANAGERS.join(', ')}, got "${manager}"`);
  }
  const kind = manager as ServiceManagerKind;
  const scope: ServiceScope = flags.user ? 'user' : 'system';
  if (kind === 'windows' && scope === 'user') {
    throw new OwlError('OWL_USAGE', '--user: a Windows service always runs for the whole machine (LocalSystem)');
  }
  const rootFlag = flags.root ?? process.env.OWL_SERVICE_ROOT;
  if (rootFlag !== undefined && kind === 'windows') {
    throw new OwlError('OWL_USAGE', '--root: Windows services live in the service manager, not in files; --root applies to systemd and launchd');
  }
  const root = rootFlag === undefined || rootFlag === '' ? null : path.resolve(rootFlag);
  const home = explicitHome === undefined ? defaultServiceHome(kind, scope) : kind === 'windows' ? explicitHome : path.resolve(explicitHome);
  return Object.freeze({ manager: kind, scope, root, home, user: currentUser() });
}

/** A path of the target system, placed under --root when one is given. */
export function underRoot(options: ServiceOptions, target: string): string {
  return options.root === null ? target : path.join(options.root, target);
}
