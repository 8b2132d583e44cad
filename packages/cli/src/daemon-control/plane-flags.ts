import path from 'node:path';
import type { Command } from 'commander';
import { OwlError, parseTcpAddress, type TcpAddress } from '@owl/rpc';

export interface PlaneFlags {
  tcp?: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

/** The TCP plane flags of `daemon start|restart|run`; they override config.json's planes.tcp for that run. */
export function addPlaneFlags(command: Command): Command {
  return command
    .option('--tcp <[host:]port>', 'also serve the TCP plane (JWT-gated) here; a bare port binds loopback, e.g. 9700 or 0.0.0.0:9700')
    .option('--tls', 'serve the TCP plane over TLS with a self-signed certificate made on first use (pin its fingerprint)')
    .option('--tls-cert <file>', 'serve TLS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert');
}

/** Validated flags, as owld argv and as in-process overrides; usage errors surface before anything starts. */
export function parsePlaneFlags(flags: PlaneFlags): { argv: string[]; overrides: { tcp?: TcpAddress; tls?: boolean; tlsCert?: string; tlsKey?: string } } {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new OwlError('OWL_USAGE', '--tls-cert and --tls-key go together: give both files or neither');
  }
  const tcp = flags.tcp === undefined ? undefined : parseTcpAddress(flags.tcp);
  // The daemon outlives this shell: relative paths are fixed to where the user stands now.
  const tlsCert = flags.tlsCert === undefined ? undefined : path.resolve(flags.tlsCert);
  const tlsKey = flags.tlsKey === undefined ? undefined : path.resolve(flags.tlsKey);
  const argv: string[] = [];
  if (flags.tcp !== undefined) argv.push('--tcp', flags.tcp);
  if (tlsCert && tlsKey) argv.push('--tls-cert', tlsCert, '--tls-key', tlsKey);
  else if (flags.tls) argv.push('--tls');
  return {
    argv,
    overrides: {
      ...(tcp ? { tcp } : {}),
      ...(flags.tls || tlsCert ? { tls: true } : {}),
      ...(tlsCert && tlsKey ? { tlsCert, tlsKey } : {}),
    },
  };
}
