import { fileURLToPath } from 'node:url';
import { DAEMON_NODE_FLAGS } from '../daemon-control/daemon-node-flags.ts';

/** The bundled CLI sits in dist/ beside this chunk, wherever owl was installed. */
export function cliEntryPath(): string {
  return fileURLToPath(new URL('./owl.mjs', import.meta.url));
}

/**
 * The command line a service manager runs: this Node and this owl, so the service keeps
 * working with whichever install (npm -g, bundle, clone) ran `owl service install`.
 */
export function daemonRunCommand(home: string, verb: string[] = ['daemon', 'run']): string[] {
  return [process.execPath, ...DAEMON_NODE_FLAGS, cliEntryPath(), '--home', home, ...verb];
}
