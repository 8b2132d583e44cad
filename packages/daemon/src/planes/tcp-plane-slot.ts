import type { TcpPlaneConfig } from '../config/tcp-plane-config.ts';
import type { TcpPlane, TcpPlaneInfo } from './tcp-plane.ts';

/**
 * The daemon's one TCP plane, which a config reload may close and start again elsewhere.
 * Replacing closes the old listener first (the new one may want the same port).
 */
export class TcpPlaneSlot {
  readonly #start: (config: TcpPlaneConfig) => Promise<TcpPlane>;
  #plane: TcpPlane | undefined;

  constructor(start: (config: TcpPlaneConfig) => Promise<TcpPlane>) {
    this.#start = start;
  }

  get info(): TcpPlaneInfo | undefined {
    return this.#plane?.info;
  }

  async replace(config: TcpPlaneConfig | null): Promise<void> {
    await this.close();
    if (config) this.#plane = await this.#start(config);
  }

  async close(): Promise<void> {
    const plane = this.#plane;
    this.#plane = undefined;
    await plane?.listener.close();
  }
}
