import type { IncomingMessage, ServerResponse } from 'node:http';
import { OwlError } from '@owl/rpc';
import type { Session } from '@owl/rpc/server';
import { remoteAddressOf } from '../auth/request-authenticator.ts';
import { isLoopback } from './address-key.ts';
import type { PrometheusMetrics } from './prometheus-metrics.ts';

export interface HttpRoutesDeps {
  authenticate(request: IncomingMessage): Promise<Session>;
  metrics: PrometheusMetrics;
  /** Loopback callers may read /metrics without a token. */
  metricsOpenOnLoopback: boolean;
}

const STATUS_BY_CODE: Record<string, number> = { OWL_UNAUTHORIZED: 401, OWL_TOO_MANY_REQUESTS: 429 };

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function serveMetrics(deps: HttpRoutesDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    if (!(deps.metricsOpenOnLoopback && isLoopback(remoteAddressOf(request)))) await deps.authenticate(request);
  } catch (error) {
    const status = error instanceof OwlError ? (STATUS_BY_CODE[error.code] ?? 500) : 500;
    if (status === 401) response.setHeader('www-authenticate', 'Bearer realm="owl"');
    sendJson(response, status, { error: error instanceof Error ? error.message : 'authentication failed' });
    return;
  }
  const text = await deps.metrics.render();
  response.writeHead(200, { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' }).end(text);
}

/**
 * Plain HTTP on the TCP plane's listener: `GET /healthz` for load balancers (no auth, says
 * only that the daemon answers) and `GET /metrics` for Prometheus (any valid token, viewer
 * and up). Returns false for every other path, which listenRpc answers with 404.
 */
export function createHttpRoutes(deps: HttpRoutesDeps): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/healthz' && path !== '/metrics') return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      sendJson(response, 405, { error: `${path} answers GET only` });
      return true;
    }
    if (path === '/healthz') {
      sendJson(response, 200, { status: 'ok' });
      return true;
    }
    serveMetrics(deps, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: `cannot render metrics: ${error instanceof Error ? error.message : String(error)}` });
      else response.destroy();
    });
    return true;
  };
}
