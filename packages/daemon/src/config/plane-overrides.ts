import { OwlError, parseTcpAddress, type TcpAddress } from '@owl/rpc';
import { TcpPlaneConfigSchema, type TcpPlaneConfig } from './tcp-plane-config.ts';

/** TCP plane flags given to `owld` (from `owl daemon start --tcp ... --tls`); they win over config.json for this run. */
export interface PlaneOverrides {
  tcp?: TcpAddress;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

function valueAfter(argv: string[], flag: string): string | undefined {
  const index = argv.indexOf(flag);
  if (index < 0) return undefined;
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new OwlError('OWL_USAGE', `${flag}: expected a value`);
  return value;
}

/** `--tcp [host:]port`, `--tls`, `--tls-cert FILE --tls-key FILE`. */
export function parsePlaneOverrides(argv: string[]): PlaneOverrides {
  const tcp = valueAfter(argv, '--tcp');
  const tlsCert = valueAfter(argv, '--tls-cert');
  const tlsKey = valueAfter(argv, '--tls-key');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new OwlError('OWL_USAGE', '--tls-cert and --tls-key go together: give both files or neither');
  }
  return {
    ...(tcp === undefined ? {} : { tcp: parseTcpAddress(tcp) }),
    ...(argv.includes('--tls') || tlsCert ? { tls: true } : {}),
    ...(tlsCert && tlsKey ? { tlsCert, tlsKey } : {}),
  };
}

/** The TCP plane this run serves: config.json's, with the command-line flags on top. */
export function applyPlaneOverrides(config: TcpPlaneConfig | null, overrides: PlaneOverrides): TcpPlaneConfig | null {
  if (!overrides.tcp && !config) {
    if (overrides.tls) throw new OwlError('OWL_USAGE', '--tls needs the TCP plane: add --tcp [host:]port or set planes.tcp in config.json');
    return null;
  }
  const base = config ?? TcpPlaneConfigSchema.parse({});
  const tls = overrides.tlsCert && overrides.tlsKey ? { cert: overrides.tlsCert, key: overrides.tlsKey } : overrides.tls ? (base.tls || true) : base.tls;
  return Object.freeze({ ...base, ...(overrides.tcp ?? {}), tls });
}

