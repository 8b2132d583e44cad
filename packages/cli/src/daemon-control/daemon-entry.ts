import { fileURLToPath } from 'node:url';

/** The bundled daemon sits next to the bundled CLI in dist/. */
export function daemonEntryPath(): string {
  return fileURLToPath(new URL('./owld.mjs', import.meta.url));
}
