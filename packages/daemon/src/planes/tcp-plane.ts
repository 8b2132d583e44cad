import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { OwlError, formatTcpAddress } from '@owl/rpc';
import { RpcServer, type Handlers, type Listener, type Session } from '@owl/rpc/server';
import { listenRpc } from '@owl/rpc/listen-tcp';
import { createRequestAuthenticator } from '../auth/request-authenticator.ts';
import { FailureLimiter } from '../auth/failure-limiter.ts';
import type { TokenService } from '../auth/token-service.ts';
import type { TcpPlaneConfig } from '../config/tcp-plane-config.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import { loadTlsMaterial, type TlsMaterial } from '../tls/tls-material.ts';
import { createHttpRoutes } from './http-routes.ts';
import { ConnectionBudget } from './connection-budget.ts';
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

/**
 * Node's HTTP server with every timeout short, its raw sockets admitted by `budget`: a slow,
 * silent or flooding client cannot hold a slot an authenticated client or /healthz needs.
 * Plain HTTP answers close their connection (no keep-alive).
 */
function createServerFor(config: TcpPlaneConfig, tls: TlsMaterial | null, budget: ConnectionBudget): Server {
  const options: ServerOptions = {
    headersTimeout: config.upgradeTimeout,
    // Node only enforces headersTimeout when requestTimeout is larger.
    requestTimeout: config.upgradeTimeout * 2,
    keepAliveTimeout: Math.min(5_000, config.upgradeTimeout),
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(config.upgradeTimeout / 4))),
  };
  const server = tls ? createHttpsServer({ ...options, cert: tls.cert, key: tls.key, handshakeTimeout: config.upgradeTimeout }) : createHttpServer(options);
  server.on('connection', (socket: Socket) => budget.admit(socket));
  // Plain HTTP (/healthz, /metrics, errors) is one request per connection: a socket the
  // budget's deadline cuts must never be one a keep-alive client is about to reuse.
  server.on('request', (_request, response) => response.setHeader('connection', 'close'));
  // A backstop only: the budget cuts sockets well before (closed sockets leave this count a tick late).
  server.maxConnections = 2 * (config.maxConnections + config.maxUnauthenticated);
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
  const budget = new ConnectionBudget({
    maxUnauthenticated: config.maxUnauthenticated,
    maxUnauthenticatedPerAddress: config.maxUnauthenticatedPerAddress,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    deadlineMs: config.upgradeTimeout,
  });
  // Only an authenticated upgrade leaves the unauthenticated budget (/metrics requests do not).
  const authenticateUpgrade = async (request: IncomingMessage): Promise<Session> => {
    const session = await authenticate(request);
    budget.promote(request.socket as Socket);
    return session;
  };
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
      authenticate: authenticateUpgrade,
      onHttpRequest,
      maxConnections: config.maxConnections,
      createHttpServer: () => createServerFor(config, tls, budget),
    });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new OwlError('OWL_CONFIG_INVALID', `the TCP plane cannot listen on ${formatTcpAddress(config)}: ${reason}`, { cause: error });
  }
  log.info(`TCP plane listening on ${tls ? 'wss' : 'ws'}://${listener.address}${tls ? ` (tls, sha256 ${tls.fingerprint})` : ''}`);
  return { listener, info: { kind: 'tcp', address: listener.address, tls: tls !== null, ...(tls ? { fingerprint: tls.fingerprint } : {}) } };
}
