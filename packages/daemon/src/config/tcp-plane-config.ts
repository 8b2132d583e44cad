import * as z from 'zod';
import { durationWithin, sizeWithin } from '@owl/rpc/contract';
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
  /** Authenticated WebSocket connections, in total and from one address (an IPv6 /64). */
  maxConnections: z.number().int().min(1).max(10_000).default(64),
  maxConnectionsPerAddress: z.number().int().min(1).max(10_000).default(16),
  /** Sockets not yet upgraded (TLS handshake, headers, /healthz), in total and per address: a budget of their own. */
  maxUnauthenticated: z.number().int().min(1).max(100_000).default(256),
  maxUnauthenticatedPerAddress: z.number().int().min(1).max(10_000).default(16),
  // ws cuts the connection at 4x this; 64 MiB keeps that under 256 MiB of buffering per frame.
  maxFrameBytes: sizeWithin({ min: 1024, max: 64 * 1024 * 1024 }).default(1024 * 1024),
  maxInFlight: z.number().int().min(1).max(10_000).default(64),
  maxSubscriptions: z.number().int().min(1).max(10_000).default(32),
  /** A client that has not finished its upgrade request (or TLS handshake) by then is cut. */
  upgradeTimeout: durationWithin({ min: 100, max: 60_000 }).default(5_000),
  authFailures: z
    .strictObject({
      /** Failed authentications per address within `window` before it is blocked. */
      max: z.number().int().min(1).max(100_000).default(10),
      window: durationWithin({ min: 1_000 }).default(60_000),
      block: durationWithin({ min: 1_000 }).default(60_000),
    })
    .prefault({}),
});

export type TcpPlaneConfig = Readonly<z.output<typeof TcpPlaneConfigSchema>>;
export type TlsSetting = TcpPlaneConfig['tls'];
