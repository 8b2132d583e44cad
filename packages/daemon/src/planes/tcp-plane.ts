import { createServer as createHttpServer, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { OwlError, formatTcpAddress } from '@owl/rpc';
import { RpcServer, listenRpc, type Handlers, type Listener } from '@owl/rpc/server';
import { createRequestAuthenticator } from '../auth/request-authenticator.ts';
import { FailureLimiter } from '../auth/failure-limiter.ts';
import type { TokenService } from '../auth/token-service.ts';
import type { TcpPlaneConfig } from '../config/tcp-plane-config.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../log/daemon-log.ts';
import { loadTlsMaterial, type TlsMaterial } from '../tls/tls-material.ts';
import { createHttpRoutes } from './http-routes.ts';
import type { MetricsSource } from './prometheus-metrics.ts';

export interface TcpPlaneInfo {
  kind: 'tcp';
  address: string;
  tls: boolean;
  fingerprint?: string;
}

export interface TcpPlane {
  readonly listener: Listener;
  readonly info: TcpPlaneInfo;
}

export interface TcpPlaneDeps {
  config: TcpPlaneConfig;
  keysDirectory: string;
  tokens: TokenService;
  verifyNodeToken?: (token: string) => Promise<{ subject: string; role: 'node' }>;
  handlers: Handlers;
  events: EventBus;
  log: DaemonLog;
  metricsSource: MetricsSource;
}

/** Node's HTTP server with every timeout short: a slow or silent client cannot hold a slot. */
function createServerFor(config: TcpPlaneConfig, tls: TlsMaterial | null): Server {
  const options: ServerOptions = {
    headersTimeout: config.upgradeTimeout,
    // Node only enforces headersTimeout when requestTimeout is larger.
    requestTimeout: config.upgradeTimeout * 2,
    keepAliveTimeout: Math.min(5_000, config.upgradeTimeout),
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(config.upgradeTimeout / 4))),
  };
  const server = tls ? createHttpsServer({ ...options, cert: tls.cert, key: tls.key, handshakeTimeout: config.upgradeTimeout }) : createHttpServer(options);
  // Room for clients still upgrading beyond the WebSocket limit that listenRpc enforces with 503.
  server.maxConnections = config.maxConnections + Math.max(16, config.maxConnections);
  return server;
}

/**
 * The opt-in TCP plane: JSON-RPC over WebSocket at /rpc for callers with a JWT, plus
 * /healthz and /metrics, over plain TCP or TLS. Binds where the config says (loopback by
 * default).
 */
export async function startTcpPlane(deps: TcpPlaneDeps): Promise<TcpPlane> {
  const { config, log, events } = deps;
  await deps.tokens.load();
  const tls = config.tls === false ? null : await loadTlsMaterial(config.tls, deps.keysDirectory, config.host);
  if (tls?.generated) log.info(`generated a self-signed TLS certificate, sha256 fingerprint ${tls.fingerprint}`);
  const limiter = new FailureLimiter({ maxFailures: config.authFailures.max, windowMs: config.authFailures.window, blockMs: config.authFailures.block });
  const authenticate = createRequestAuthenticator({ tokens: deps.tokens, ...(deps.verifyNodeToken ? { verifyNodeToken: deps.verifyNodeToken } : {}), limiter, events, log });
  const rpc = new RpcServer(
    deps.handlers,
    { maxFrameBytes: config.maxFrameBytes, maxInFlight: config.maxInFlight, maxSubscriptions: config.maxSubscriptions },
    {
      onForbidden(method, session) {
        events.emit({ type: 'forbidden', data: { method, subject: session.subject, role: session.role, address: session.remoteAddress } });
        log.warn(`forbidden: ${session.subject} (${session.role}) from ${session.remoteAddress ?? '?'} called ${method}`);
      },
    },
  );
  // prom-client is loaded only when the plane that serves /metrics is on.
  const { createPrometheusMetrics } = await import('./prometheus-metrics.ts');
  const onHttpRequest = createHttpRoutes({ authenticate, metrics: createPrometheusMetrics(deps.metricsSource), metricsOpenOnLoopback: config.metrics === 'open-on-loopback' });
  let listener: Listener;
  try {
    listener = await listenRpc({
      target: { host: config.host, port: config.port },
      rpc,
      authenticate,
      onHttpRequest,
      maxConnections: config.maxConnections,
      createHttpServer: () => createServerFor(config, tls),
    });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new OwlError('OWL_CONFIG_INVALID', `the TCP plane cannot listen on ${formatTcpAddress(config)}: ${reason}`, { cause: error });
  }
  log.info(`TCP plane listening on ${tls ? 'wss' : 'ws'}://${listener.address}${tls ? ` (tls, sha256 ${tls.fingerprint})` : ''}`);
  return { listener, info: { kind: 'tcp', address: listener.address, tls: tls !== null, ...(tls ? { fingerprint: tls.fingerprint } : {}) } };
}
