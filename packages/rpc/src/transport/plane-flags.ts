import { OwlError } from '../errors/owl-error.ts';
import { parseTcpAddress, type TcpAddress } from './tcp-address.ts';

/** The TCP plane flags as given: `--tcp [host:]port`, `--tls`, `--tls-cert FILE --tls-key FILE`. */
export interface PlaneFlags {
  tcp?: string | undefined;
  tls?: boolean | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
}

/** The TCP plane flags validated: they win over config.json's planes.tcp for one run of the daemon. */
export interface PlaneOverrides {
  tcp?: TcpAddress;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

/**
 * The one parser of the TCP plane flags, for `owl daemon start|restart|run` and for `owld`:
 * usage errors read the same wherever the flags were given.
 *
 * @example
 * parsePlaneFlags({ tcp: '0.0.0.0:9700', tls: true }); // { tcp: { host: '0.0.0.0', port: 9700 }, tls: true }
 */
export function parsePlaneFlags(flags: PlaneFlags): PlaneOverrides {
  const { tlsCert, tlsKey } = flags;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new OwlError('OWL_USAGE', '--tls-cert and --tls-key go together: give both files or neither');
  }
  return Object.freeze({
    ...(flags.tcp === undefined ? {} : { tcp: parseTcpAddress(flags.tcp) }),
    ...(flags.tls || tlsCert ? { tls: true } : {}),
    ...(tlsCert && tlsKey ? { tlsCert, tlsKey } : {}),
  });
}

/** The flags as `owld` arguments, for a daemon started in the background. */
export function planeFlagsArgv(flags: PlaneFlags): string[] {
  const argv: string[] = [];
  if (flags.tcp !== undefined) argv.push('--tcp', flags.tcp);
  if (flags.tlsCert !== undefined && flags.tlsKey !== undefined) argv.push('--tls-cert', flags.tlsCert, '--tls-key', flags.tlsKey);
  else if (flags.tls) argv.push('--tls');
  return argv;
}
