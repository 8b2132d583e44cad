import { z } from 'zod';
import { Duration, Size } from '@owl/rpc/contract';
import { DEFAULT_TCP_HOST, DEFAULT_TCP_PORT } from '@owl/rpc';

const TlsFilesSchema = z.strictObject({
  cert: z.string().min(1, 'expected the path of a PEM certificate'),
  key: z.string().min(1, 'expected the path of a PEM private key'),
});

/**
 * `planes.tcp` in `<OWL_HOME>/config.json`. Every limit has a default: the TCP plane faces
 * the network, so nothing a peer sends may grow without bound.
 */
export const TcpPlaneConfigSchema = z.strictObject({
  /** Loopback unless the operator names another interface. */
  host: z.string().min(1).default(DEFAULT_TCP_HOST),
  /** 0 picks a free port (tests); `owl daemon status` reports the one in use. */
  port: z.number().int().min(0).max(65_535).default(DEFAULT_TCP_PORT),
  /** true: a self-signed certificate generated into keys/ on first use; or given files. */
  tls: z.union([z.boolean(), TlsFilesSchema]).default(false),
  /** "token": /metrics needs a viewer token; "open-on-loopback": loopback callers need none. */
  metrics: z.enum(['token', 'open-on-loopback']).default('token'),
  maxConnections: z.number().int().min(1).max(10_000).default(64),
  maxFrameBytes: Size.default(1024 * 1024),
  maxInFlight: z.number().int().min(1).max(10_000).default(64),
  maxSubscriptions: z.number().int().min(1).max(10_000).default(32),
  /** A client that has not finished its upgrade request (or TLS handshake) by then is cut. */
  upgradeTimeout: Duration.default(10_000),
  authFailures: z
    .strictObject({
      /** Failed authentications per address within `window` before it is blocked. */
      max: z.number().int().min(1).max(100_000).default(10),
      window: Duration.default(60_000),
      block: Duration.default(60_000),
    })
    .prefault({}),
});

export type TcpPlaneConfig = Readonly<z.output<typeof TcpPlaneConfigSchema>>;
export type TlsSetting = TcpPlaneConfig['tls'];
