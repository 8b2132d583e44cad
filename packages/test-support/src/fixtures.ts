import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tiny apps tests run as real child processes (forever, crash-after-n, flood-lines, ...). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}
