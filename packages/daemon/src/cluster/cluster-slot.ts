import { OwlError } from '@owl/rpc';
import { AuthFailure } from '../auth/auth-failure.ts';
import type { DaemonLog } from '../daemon-log/daemon-log.ts';
import type { ClusterConfig } from './cluster-config.ts';
import type { ClusterControl, ClusterDeps } from './cluster-control.ts';

/**
 * The daemon's one cluster membership, or none. The cluster code (and ioredis with it) is
 * imported only when a `cluster` block is configured, so a single daemon never loads it.
 */
export class ClusterSlot {
  readonly #deps: ClusterDeps;
  readonly #log: DaemonLog;
  #current: ClusterControl | null = null;
  #config: ClusterConfig | null = null;
  #key: Promise<Uint8Array> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: ClusterDeps) {
    this.#deps = deps;
    this.#log = deps.log;
  }

  get current(): ClusterControl | null {
    return this.#current;
  }

  /** The running node, or a clear error saying this daemon is in no cluster. */
  require(): ClusterControl {
    if (this.#current) return this.#current;
    throw new OwlError('OWL_CLUSTER_DISABLED', 'this daemon is not in a cluster: create one with owl cluster init --redis URL or join one with owl cluster join <token>');
  }

  /** Stops the running node (if any) and starts one with `config` (none for null). One replacement at a time. */
  replace(config: ClusterConfig | null, options: { forget?: boolean } = {}): Promise<void> {
    const next = this.#queue.then(async () => {
      const previous = this.#current;
      this.#current = null;
      this.#config = config;
      this.#key = null;
      if (previous) {
        if (options.forget) await previous.forget();
        await previous.stop();
      }
      if (config === null) return;
      const { startClusterNode } = await import('./cluster-node.ts');
      this.#current = await startClusterNode(config, this.#deps);
    });
    this.#queue = next.catch((error: unknown) => this.#log.error(`cluster not started: ${(error as Error).message}`));
    return next;
  }

  /** Checks a node token from another daemon of this cluster; refused when this daemon is in none. */
  async verifyNodeToken(token: string): Promise<{ subject: string; role: 'node' }> {
    const config = this.#config;
    if (!config) throw new AuthFailure('invalid_claims', 'node token refused: this daemon is not in a cluster');
    const { loadClusterKey } = await import('./cluster-identity.ts');
    const { verifyNodeToken } = await import('./node-token.ts');
    this.#key ??= loadClusterKey(this.#deps.keysDirectory, false);
    return verifyNodeToken(await this.#key, config.name, token);
  }

  close(): Promise<void> {
    return this.replace(null);
  }
}
