import type { Handlers } from '@owl/rpc/server';
import type { daemonMethods } from '@owl/rpc/contract';
import type { PlaneInfo } from '../readiness/ready-signal.ts';

type DaemonHandlers = Pick<Handlers, keyof typeof daemonMethods>;

export interface DaemonFacts {
  pid: number;
  version: string;
  home: string;
  startedAt: Date;
  planes(): PlaneInfo[];
  appCounts(): { total: number; running: number };
  homeWrites(): Array<{ file: string; error: string; since: string }>;
  warnings(): Promise<string[]>;
  requestShutdown(withApps: boolean): void;
  reloadConfig(): Promise<Array<'webhooks' | 'tcp plane' | 'cluster'>>;
}

export function createDaemonHandlers(daemon: DaemonFacts): DaemonHandlers {
  return {
    'daemon.ping': () => ({ pong: true, pid: daemon.pid, version: daemon.version }),
    'daemon.status': async () => ({
      pid: daemon.pid,
      version: daemon.version,
      home: daemon.home,
      startedAt: daemon.startedAt.toISOString(),
      uptimeMs: Date.now() - daemon.startedAt.getTime(),
      planes: daemon.planes(),
      apps: daemon.appCounts(),
      homeWrites: daemon.homeWrites(),
      warnings: await daemon.warnings(),
    }),
    'daemon.reload': async () => ({ changed: await daemon.reloadConfig(), planes: daemon.planes() }),
    'daemon.shutdown': ({ withApps }) => {
      daemon.requestShutdown(withApps);
      return { ok: true };
    },
  };
}
