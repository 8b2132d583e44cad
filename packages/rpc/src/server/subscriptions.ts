import { nodeCrypto } from '../node-crypto.ts';
import { OwlError } from '../errors/owl-error.ts';
import { SUBSCRIPTION_METHOD } from '../protocol/frames.ts';
import type { RpcLimits } from './limits.ts';
import type { SubscriptionHandle } from './session.ts';
import { RPC_SOCKET_OPEN, type RpcSocket } from './rpc-socket.ts';

/** The open subscriptions of one connection; all end when the connection closes. */
export class ConnectionSubscriptions {
  readonly #socket: RpcSocket;
  readonly #limits: RpcLimits;
  readonly #open = new Map<string, () => void>();
  // Pushes made before the opening call's result is sent wait here, so the client, which
  // learns the subscription id from that result, misses none of them (a backlog, say).
  readonly #held = new Map<string, unknown[]>();

  constructor(socket: RpcSocket, limits: RpcLimits) {
    this.#socket = socket;
    this.#limits = limits;
  }

  open(onClose: () => void): SubscriptionHandle {
    if (this.#open.size >= this.#limits.maxSubscriptions) {
      throw new OwlError('OWL_LIMIT_EXCEEDED', `more than ${this.#limits.maxSubscriptions} subscriptions open on this connection`);
    }
    const id = nodeCrypto().randomUUID();
    let ended = false;
    const end = (error?: Error): void => {
      if (ended) return;
      ended = true;
      this.#open.delete(id);
      this.#held.delete(id);
      onClose();
      this.#notify(id, { end: true, ...(error ? { error: error.message } : {}) });
    };
    this.#open.set(id, () => end());
    this.#held.set(id, []);
    return {
      id,
      push: (data: unknown) => {
        if (ended) return;
        const held = this.#held.get(id);
        if (held) {
          held.push(data);
          return;
        }
        // A subscriber that cannot keep up is cut off rather than buffering without bound.
        if (this.#socket.bufferedAmount > this.#limits.maxBufferedBytes) {
          end(new Error(`subscriber too slow: more than ${this.#limits.maxBufferedBytes} bytes queued`));
          return;
        }
        this.#notify(id, { data });
      },
      end,
    };
  }

  /** The opening call's result has been sent: deliver what was held, then go live. */
  release(ids: readonly string[]): void {
    for (const id of ids) {
      const held = this.#held.get(id);
      this.#held.delete(id);
      for (const data of held ?? []) this.#notify(id, { data });
    }
  }

  /** The opening call failed: its subscriptions never reached the client. */
  discard(ids: readonly string[]): void {
    for (const id of ids) this.#open.get(id)?.();
  }

  unsubscribeFromRequest(params: unknown): { ok: true } {
    const id = typeof params === 'object' && params !== null ? (params as { subscription?: unknown }).subscription : undefined;
    if (typeof id !== 'string') {
      throw new OwlError('OWL_INVALID_PARAMS', 'invalid params for "rpc.unsubscribe": subscription: expected a string');
    }
    const close = this.#open.get(id);
    if (!close) throw new OwlError('OWL_NOT_FOUND', `subscription "${id.slice(0, 64)}" is not open`);
    close();
    return { ok: true };
  }

  closeAll(): void {
    for (const close of [...this.#open.values()]) close();
  }

  #notify(subscription: string, payload: Record<string, unknown>): void {
    if (this.#socket.readyState !== RPC_SOCKET_OPEN) return;
    this.#socket.send(JSON.stringify({ jsonrpc: '2.0', method: SUBSCRIPTION_METHOD, params: { subscription, ...payload } }));
  }
}
