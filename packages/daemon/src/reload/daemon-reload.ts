import type { PlaneOverrides } from '../config/plane-overrides.ts';
import type { TcpPlaneConfig } from '../config/tcp-plane-config.ts';
import type { WebhookConfig } from '../config/webhooks-config.ts';
import type { ClusterConfig } from '../cluster/cluster-config.ts';
import type { ClusterSlot } from '../cluster/cluster-slot.ts';
import { replaceWebhooks, type DaemonServices } from '../daemon-services.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import type { TcpPlaneSlot } from '../planes/tcp-plane-slot.ts';
import { ConfigReloader, type ReloadedPart } from './config-reloader.ts';

export interface DaemonReloadDeps {
  configFile: string;
  overrides: PlaneOverrides;
  current: { webhooks: readonly WebhookConfig[]; tcp: TcpPlaneConfig | null; cluster: ClusterConfig | null };
  services: DaemonServices;
  cluster: ClusterSlot;
  tcp: TcpPlaneSlot;
  log: DaemonLog;
}

export interface DaemonReload {
  /** Reloads config.json; every reload is logged and a `config_reloaded` event. */
  run(via: 'signal' | 'rpc'): Promise<ReloadedPart[]>;
  /** SIGHUP reloads from now on (POSIX; Windows has no SIGHUP, `owl daemon reload` serves there). */
  listenForHangup(): void;
  stopListening(): void;
}

export function createDaemonReload(deps: DaemonReloadDeps): DaemonReload {
  const { services, log, tcp } = deps;
  const reloader = new ConfigReloader({
    configFile: deps.configFile,
    overrides: deps.overrides,
    current: deps.current,
    targets: { replaceWebhooks: (configs) => replaceWebhooks(services, configs, log), replaceTcpPlane: (next) => tcp.replace(next), replaceCluster: (next) => deps.cluster.replace(next) },
  });
  const run = async (via: 'signal' | 'rpc'): Promise<ReloadedPart[]> => {
    const changed = await reloader.reload();
    log.info(`config reloaded (${via}): ${changed.length === 0 ? 'nothing changed' : changed.join(', ')}`);
    services.events.emit({ type: 'config_reloaded', data: { via, changed } });
    return changed;
  };
  const onHangup = (): void => {
    run('signal').catch((error: unknown) => log.error(`config not reloaded: ${(error as Error).message}`));
  };
  return {
    run,
    listenForHangup: () => {
      if (process.platform !== 'win32') process.on('SIGHUP', onHangup);
    },
    stopListening: () => {
      process.off('SIGHUP', onHangup);
    },
  };
}
