import path from 'node:path';
import type { Command } from 'commander';
import { parsePlaneFlags as parseFlags, planeFlagsArgv, type PlaneFlags, type PlaneOverrides } from '@owl/rpc';

export type { PlaneFlags } from '@owl/rpc';

/** The TCP plane flags of `daemon start|restart|run`; they override config.json's planes.tcp for that run. */
export function addPlaneFlags(command: Command): Command {
  return command
    .option('--tcp <[host:]port>', 'also serve the TCP plane (JWT-gated) here; a bare port binds loopback, e.g. 9700 or 0.0.0.0:9700')
    .option('--tls', 'serve the TCP plane over TLS with a self-signed certificate made on first use (pin its fingerprint)')
    .option('--tls-cert <file>', 'serve TLS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert');
}

/** Validated flags, as owld argv and as in-process overrides; usage errors surface before anything starts. */
export function parsePlaneFlags(flags: PlaneFlags): { argv: string[]; overrides: PlaneOverrides } {
  // The daemon outlives this shell: relative paths are fixed to where the user stands now.
  const resolved: PlaneFlags = {
    ...flags,
    tlsCert: flags.tlsCert === undefined ? undefined : path.resolve(flags.tlsCert),
    tlsKey: flags.tlsKey === undefined ? undefined : path.resolve(flags.tlsKey),
  };
  const overrides = parseFlags(resolved);
  return { argv: planeFlagsArgv(resolved), overrides };
}
