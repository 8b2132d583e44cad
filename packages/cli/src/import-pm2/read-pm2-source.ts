import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
// A static import: this module is itself loaded lazily, and esbuild's split chunks lose the
// named exports of a CommonJS package (yaml's node build) behind a dynamic import().
import { parse as parseYaml } from 'yaml';
import { evaluateEcosystem } from './evaluate-ecosystem.ts';
import { appsFromDump } from './dump-apps.ts';

export type Pm2App = Record<string, unknown>;

export interface Pm2Source {
  file: string;
  kind: 'ecosystem' | 'dump';
  apps: Pm2App[];
}

/** PM2's dump, where `pm2 save` writes it: $PM2_HOME/dump.pm2, else ~/.pm2/dump.pm2. */
export function defaultDumpFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.PM2_HOME ?? path.join(homedir(), '.pm2'), 'dump.pm2');
}

async function readText(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
    throw new OwlError(code === 'ENOENT' ? 'OWL_NOT_FOUND' : 'OWL_CONFIG_INVALID', `${file}: cannot read the PM2 file (${code})`, { cause, data: { file } });
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new OwlError('OWL_CONFIG_INVALID', `${file}: not valid JSON (${(cause as Error).message})`, { cause, data: { file } });
  }
}

async function loadDocument(file: string): Promise<unknown> {
  const extension = path.extname(file).toLowerCase();
  if (['.js', '.cjs', '.mjs'].includes(extension)) return evaluateEcosystem(file);
  const text = await readText(file);
  if (extension === '.yaml' || extension === '.yml') {
    try {
      return parseYaml(text);
    } catch (cause) {
      throw new OwlError('OWL_CONFIG_INVALID', `${file}: not valid YAML (${(cause as Error).message.split('\n')[0]})`, { cause, data: { file } });
    }
  }
  return parseJson(file, text);
}

/** The apps of an ecosystem document: `{ apps: [...] }`, a bare array, or one app object. */
function ecosystemApps(file: string, document: unknown): Pm2App[] {
  const apps = Array.isArray(document) ? document : (document as { apps?: unknown } | null)?.apps ?? document;
  const list = Array.isArray(apps) ? apps : [apps];
  if (list.length === 0 || list.some((app) => app === null || typeof app !== 'object' || Array.isArray(app))) {
    throw new OwlError('OWL_CONFIG_INVALID', `${file}: expected PM2 apps ({ "apps": [{ "name": ..., "script": ... }] }), found none`, { data: { file } });
  }
  return list as Pm2App[];
}

/**
 * Reads an ecosystem file (.json, .js/.cjs/.mjs, .yaml/.yml) or PM2's dump (a JSON array of
 * running processes, one entry per instance), as PM2 apps with ecosystem option names.
 */
export async function readPm2Source(file: string): Promise<Pm2Source> {
  const document = await loadDocument(file);
  const isDump = Array.isArray(document) && document.some((entry) => entry !== null && typeof entry === 'object' && 'pm_exec_path' in entry);
  if (isDump) return { file, kind: 'dump', apps: appsFromDump(document as Pm2App[]) };
  return { file, kind: 'ecosystem', apps: ecosystemApps(file, document) };
}
