import { OwlError } from '../errors/owl-error.ts';

export const DEFAULT_TCP_PORT = 9700;
export const DEFAULT_TCP_HOST = '127.0.0.1';

export interface TcpAddress {
  host: string;
  port: number;
}

/**
 * Parses `[host:]port` as given to `--tcp`: "9700", "0.0.0.0:9700", "[::1]:9700". A bare
 * port binds loopback: the TCP plane is only reachable from elsewhere when asked to be.
 */
export function parseTcpAddress(value: string, flag: string = '--tcp'): TcpAddress {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65_535) {
    throw new OwlError('OWL_USAGE', `${flag}: expected [host:]port such as 9700, 127.0.0.1:9700 or [::1]:9700, received "${value}"`);
  }
  const host = match[1]?.replace(/^\[|\]$/g, '') ?? DEFAULT_TCP_HOST;
  return { host, port };
}

/** `host:port` with IPv6 hosts bracketed, as URLs want them. */
export function formatTcpAddress(address: TcpAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
