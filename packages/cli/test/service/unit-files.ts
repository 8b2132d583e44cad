import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file and symlink under `root`, relative to it (directories themselves left out). */
export function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(path.relative(root, full));
    }
  };
  if (statSync(root, { throwIfNoEntry: false })) walk(root);
  return files.sort();
}

/** `Key=value` lines of one section of a systemd unit file. */
export function unitSection(unit: string, section: string): Map<string, string> {
  const values = new Map<string, string>();
  let current = '';
  for (const line of unit.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1] ?? '';
    else if (current === section && line.includes('=') && !line.startsWith('#')) values.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
  }
  return values;
}

/** Splits an ExecStart value the way systemd does for the quoting owl writes ("..." with \\ and \" escapes, %% and $$). */
export function splitExecStart(value: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    const raw = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? '');
    words.push(raw.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return words;
}
