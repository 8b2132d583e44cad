import { OwlError } from '@owl/rpc';
import type { TcpPlaneConfig } from '../config/tcp-plane-config.ts';
import { applyPlaneOverrides, type PlaneOverrides } from '../config/plane-overrides.ts';
import { loadDaemonConfig } from '../config/load-daemon-config.ts';
import type { WebhookConfig } from '../config/webhooks-config.ts';
import type { ClusterConfig } from '../cluster/cluster-config.ts';

/** What a reload swaps; each part is replaced only when its settings changed. */
export interface ReloadTargets {
  replaceWebhooks(configs: readonly WebhookConfig[]): void;
  /** Closes the TCP plane (if any) and starts one with this config (none for null); throws when it cannot start. */
  replaceTcpPlane(config: TcpPlaneConfig | null): Promise<void>;
  /** Leaves the running cluster (if any) and joins the one configured (none for null). */
  replaceCluster(config: ClusterConfig | null): Promise<void>;
}

export interface ConfigReloaderOptions {
  configFile: string;
  /** The start's `--tcp/--tls` flags: they keep winning over config.json for this run. */
  overrides: PlaneOverrides;
  /** What the daemon runs with now (config.json at start, with the overrides applied). */
  current: { webhooks: readonly WebhookConfig[]; tcp: TcpPlaneConfig | null; cluster: ClusterConfig | null };
  targets: ReloadTargets;
}

export type ReloadedPart = 'webhooks' | 'tcp plane' | 'cluster';

/**
 * Re-reads config.json (SIGHUP or `owl daemon reload`) and applies what changed: webhooks are
 * swapped (undelivered events of the old ones are logged), the TCP plane is restarted on its
 * new address or settings. A file that does not validate changes nothing and says why; a
 * TCP plane that cannot start is put back as it was. Apps are never touched. One reload at a
 * time: a second request waits for the first.
 */
export class ConfigReloader {
  readonly #options: ConfigReloaderOptions;
  #current: ConfigReloaderOptions['current'];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ConfigReloaderOptions) {
    this.#options = options;
    this.#current = options.current;
  }

  reload(): Promise<ReloadedPart[]> {
    const next = this.#queue.then(() => this.#reloadOnce());
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #reloadOnce(): Promise<ReloadedPart[]> {
    const config = await loadDaemonConfig(this.#options.configFile);
    const tcp = applyPlaneOverrides(config.tcp, this.#options.overrides);
    const changed: ReloadedPart[] = [];
    if (JSON.stringify(tcp) !== JSON.stringify(this.#current.tcp)) {
      await this.#replaceTcp(tcp);
      changed.push('tcp plane');
    }
    if (JSON.stringify(config.webhooks) !== JSON.stringify(this.#current.webhooks)) {
      this.#options.targets.replaceWebhooks(config.webhooks);
      changed.push('webhooks');
    }
    if (JSON.stringify(config.cluster) !== JSON.stringify(this.#current.cluster)) {
      await this.#options.targets.replaceCluster(config.cluster);
      changed.push('cluster');
    }
    this.#current = { webhooks: config.webhooks, tcp, cluster: config.cluster };
    return changed;
  }

  async #replaceTcp(next: TcpPlaneConfig | null): Promise<void> {
    const { targets } = this.#options;
    try {
      await targets.replaceTcpPlane(next);
    } catch (error) {
      const restored = await targets.replaceTcpPlane(this.#current.tcp).then(
        () => 'the previous TCP plane runs again',
        (restoreError: unknown) => `the previous TCP plane could not be restarted either: ${(restoreError as Error).message}`,
      );
      throw new OwlError('OWL_CONFIG_INVALID', `${this.#options.configFile}: the new TCP plane cannot start (${(error as Error).message}); ${restored}; nothing was changed`, { cause: error });
    }
  }
}
