import type { Handlers } from '@owl/rpc/server';
import type { EventBus } from '../events/event-bus.ts';
import type { Supervisor } from '../supervise/supervisor.ts';
import type { TokenService } from '../auth/token-service.ts';
import { createDaemonHandlers, type DaemonFacts } from './daemon-handlers.ts';
import { createAppHandlers } from './app-handlers.ts';
import { createEventHandlers } from './event-handlers.ts';
import { createLogHandlers } from './log-handlers.ts';
import type { LogService } from '../app-logs/log-service.ts';
import { createTokenHandlers } from './token-handlers.ts';
import { createAuditHandlers } from './audit-handlers.ts';
import { createMetricsHandlers } from './metrics-handlers.ts';
import type { MetricsService } from '../metrics/metrics-service.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { auditOperatorCalls } from '../audit/audit-operator-calls.ts';
import { createClusterHandlers, type ClusterHandlerDeps } from './cluster-handlers.ts';
import { createRoostHandlers } from './roost-handlers.ts';
import type { RoostLoader } from '../roost/lazy-roost.ts';

export interface Services {
  supervisor: Supervisor;
  events: EventBus;
  tokens: TokenService;
  audit: AuditLog;
  metrics: MetricsService;
  logs: LogService;
  roost: RoostLoader;
}

/** Thin handlers, one file per domain: each maps a contract method onto a service call. */
export function createHandlers(daemon: DaemonFacts, services: Services, cluster: ClusterHandlerDeps): Handlers {
  // Every operator/admin call, on any plane, is an `operator` event before it runs.
  return auditOperatorCalls(services.events, {
    ...createDaemonHandlers(daemon),
    ...createAppHandlers(services.supervisor),
    ...createEventHandlers(services.events),
    ...createLogHandlers(services.logs),
    ...createTokenHandlers(services.tokens, services.events),
    ...createAuditHandlers(services.audit),
    ...createMetricsHandlers(services.metrics),
    ...createClusterHandlers(cluster),
    ...createRoostHandlers(services.roost),
  });
}
