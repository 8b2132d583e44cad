import { readFile, stat } from 'node:fs/promises';

// Field names that hold secrets in config.json: webhook secrets today, tokens and passwords
// of other sections (cluster) as they come.
const SECRET_FIELD = /secret|password|token/i;
const MAX_NAMED_FIELDS = 3;

function secretFields(value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => secretFields(item, `${path}[${index}]`, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path === '' ? key : `${path}.${key}`;
      if (typeof item === 'string' && item !== '' && SECRET_FIELD.test(key)) found.push(itemPath);
      else secretFields(item, itemPath, found);
    }
  }
}

/**
 * A warning when config.json holds secrets and other local users can read it (group or
 * world bits set); null otherwise. POSIX only: on Windows the ACL of the home decides.
 */
export async function configExposureWarning(file: string): Promise<string | null> {
  if (process.platform === 'win32') return null;
  let mode: number;
  let document: unknown;
  try {
    mode = (await stat(file)).mode & 0o777;
    if ((mode & 0o077) === 0) return null;
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // Missing or unreadable: nothing exposed by it (a broken file is reported by loading).
    return null;
  }
  const found: string[] = [];
  secretFields(document, '', found);
  if (found.length === 0) return null;
  const named = found.slice(0, MAX_NAMED_FIELDS).join(', ') + (found.length > MAX_NAMED_FIELDS ? ', ...' : '');
  return `${file} holds secrets (${named}) and other users can read it (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${file}`;
}
