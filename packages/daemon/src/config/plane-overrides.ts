import { OwlError, type PlaneOverrides } from '@owl/rpc';
import { TcpPlaneConfigSchema, type TcpPlaneConfig } from './tcp-plane-config.ts';

// Parsed once by parsePlaneFlags (@owl/rpc), from owld's argv or from `owl daemon run`'s flags.
export type { PlaneOverrides } from '@owl/rpc';

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

