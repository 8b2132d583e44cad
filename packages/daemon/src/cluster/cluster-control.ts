import type { AppRow, ClusterNode, ClusterStatus, FleetCommandRow, FleetLogsRow } from '@owl/rpc';
import type { LogLine } from '@owl/rpc/contract';
import type { EventBus } from '../events/event-bus.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import type { ClusterConfig } from './cluster-config.ts';
import type { FleetSeries } from '../planes/fleet-prometheus.ts';

/** What the rest of the daemon sees of a running cluster node (types only: no Redis code loads with it). */
export interface ClusterControl {
  readonly name: string;
  status(): Promise<ClusterStatus>;
  nodes(): Promise<ClusterNode[]>;
  stepDown(): Promise<{ wasLeader: boolean; term: number | null }>;
  fleetApps(): Promise<Array<{ node: string; nodeId: string; name: string; instance: number; status: string; cpu: number | null; memory: number | null; restarts: number }>>;
  fleetMetrics(sinceMs: number): Promise<Array<{ at: string; node: string; nodeId: string; cpu: number; memory: number; appsRunning: number; appsTotal: number }>>;
  /** Fleet series for the leader's /metrics; null on followers. */
  fleetSeries(): Promise<FleetSeries | null>;
  runFleet(request: FleetRunRequest): Promise<{ id: string; rows: FleetCommandRow[] }>;
  /** The last lines of an app on chosen nodes, read from each peer's TCP plane with a node token. */
  fleetLogs(request: FleetLogsRequest): Promise<FleetLogsRow[]>;
  /** Removes this node from the registry (before a leave). */
  forget(): Promise<void>;
  /** Steps down if leading, stops every loop, closes Redis. */
  stop(): Promise<void>;
}

export interface FleetLogsRequest {
  app: string;
  nodes?: string[] | undefined;
  labels?: string[] | undefined;
  all: boolean;
  lines: number;
}

export interface FleetRunRequest {
  action: 'start' | 'stop' | 'restart';
  app: string;
  nodes?: string[] | undefined;
  labels?: string[] | undefined;
  all: boolean;
  wait: boolean;
  timeout: number;
  ttl: number;
  subject: string;
}

/** What a cluster node needs from the daemon. */
export interface ClusterDeps {
  home: string;
  keysDirectory: string;
  version: string;
  startedAt: Date;
  events: EventBus;
  log: DaemonLog;
  apps: {
    list(): Promise<AppRow[]>;
    start(name: string): Promise<unknown>;
    stop(name: string): Promise<unknown>;
    restart(name: string): Promise<unknown>;
  };
  /** This daemon's own last lines of an app (fleet logs read the local node in place). */
  readLogs(app: string, lines: number): Promise<LogLine[]>;
  /** The TCP plane now serving, if any: its certificate's fingerprint goes into the node's signed identity so peers can pin it. */
  tcpPlane(): { tls: boolean; fingerprint?: string | undefined } | null;
}

export type StartCluster = (config: ClusterConfig, deps: ClusterDeps) => Promise<ClusterControl>;
