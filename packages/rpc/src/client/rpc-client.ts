import { OwlError, isOwlErrorCode } from '../errors/owl-error.ts';
import type { MethodName, ParamsInput, Result } from '../contract/methods.ts';
import { SUBSCRIPTION_METHOD, UNSUBSCRIBE_METHOD, type JsonRpcErrorObject } from '../protocol/frames.ts';
import type { ClientOptions, ConnectTarget } from './connect-target.ts';
import type { ClientSocket, OpenedSocket } from './client-socket.ts';
import { openSocket } from './open-socket.ts';

interface SubscriptionParams {
  subscription: string;
  data?: unknown;
  end?: boolean;
  error?: string;
}

const MAX_EARLY_NOTIFICATIONS = 20_000;
const MAX_EARLY_SUBSCRIPTIONS = 16;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface SubscriptionListener {
  onData(data: unknown): void;
  /** The server ended the subscription or the connection closed. */
  onEnd?(error?: Error): void;
}

export interface ClientSubscription {
  readonly id: string;
  close(): Promise<void>;
}

function errorFromFrame(error: JsonRpcErrorObject): OwlError {
  const { code, ...data } = error.data ?? { code: 'OWL_INTERNAL' };
  return new OwlError(isOwlErrorCode(code) ? code : 'OWL_INTERNAL', error.message, { data });
}

/**
 * A JSON-RPC client for one daemon, typed by the contract.
 *
 * @example
 * const client = await RpcClient.connect({ kind: 'local', home: '/var/lib/owl' });
 * const apps = await client.call('apps.list', {});
 * await client.close();
 */
export class RpcClient {
  readonly #socket: ClientSocket;
  readonly #maxFrameBytes: number;
  readonly #callTimeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, SubscriptionListener>();
  // Notifications can overtake the promise continuation that registers their listener:
  // they wait here (bounded) until subscribe() picks them up.
  readonly #early = new Map<string, Array<{ data?: unknown; end?: boolean; error?: string }>>();
  #nextId = 1;
  #closed = false;
  readonly #closedPromise: Promise<void>;
  #resolveClosed: () => void = () => undefined;
  #lastSignOfLife = Date.now();
  #heartbeat: NodeJS.Timeout | undefined;
  #notAnswering: OwlError | undefined;
  // Why the connection broke (a reset, a protocol violation), named when open calls fail.
  #socketError: Error | undefined;

  private constructor({ socket, maxFrameBytes }: OpenedSocket, options: ClientOptions) {
    this.#socket = socket;
    this.#maxFrameBytes = maxFrameBytes;
    this.#callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.#closedPromise = new Promise((resolve) => (this.#resolveClosed = resolve));
    socket.on('message', (raw) => this.#socketOnMessage(raw.toString()));
    socket.on('pong', () => (this.#lastSignOfLife = Date.now()));
    socket.on('close', () => this.#socketOnClose());
    socket.on('error', (error) => (this.#socketError ??= error));
    if (options.answerTimeoutMs !== undefined) this.#watchAnswers(options.answerTimeoutMs);
  }

  static async connect(target: ConnectTarget, options: ClientOptions = {}): Promise<RpcClient> {
    return new RpcClient(await openSocket(target, options.connectTimeoutMs ?? options.answerTimeoutMs ?? 5_000), options);
  }

  /** Pings the daemon while something waits on it; silence past the deadline fails everything open. */
  #watchAnswers(answerTimeoutMs: number): void {
    this.#heartbeat = setInterval(
      () => {
        const waiting = this.#pending.size > 0 || this.#listeners.size > 0;
        if (!waiting) {
          this.#lastSignOfLife = Date.now();
          return;
        }
        if (Date.now() - this.#lastSignOfLife > answerTimeoutMs) {
          this.#notAnswering = new OwlError('OWL_DAEMON_NOT_ANSWERING', `the daemon accepted the connection but gave no sign of life within ${answerTimeoutMs} ms`, { data: { timeoutMs: answerTimeoutMs } });
          this.#socket.terminate();
          return;
        }
        this.#socket.ping();
      },
      Math.max(20, Math.floor(answerTimeoutMs / 4)),
    ).unref();
  }

  call<M extends MethodName>(method: M, params: ParamsInput<M>, options: { timeoutMs?: number } = {}): Promise<Result<M>> {
    return this.#request(method, params, options.timeoutMs ?? this.#callTimeoutMs) as Promise<Result<M>>;
  }

  /** Calls a stream method and routes its notifications to `listener` until closed. */
  async subscribe<M extends MethodName>(method: M, params: ParamsInput<M>, listener: SubscriptionListener): Promise<ClientSubscription> {
    const result = (await this.#request(method, params, this.#callTimeoutMs)) as { subscription?: unknown };
    if (typeof result?.subscription !== 'string') {
      throw new OwlError('OWL_INTERNAL', `method "${method}" did not open a subscription`);
    }
    const id = result.subscription;
    this.#listeners.set(id, listener);
    const early = this.#early.get(id) ?? [];
    this.#early.delete(id);
    for (const params of early) this.#deliver(listener, { subscription: id, ...params });
    return {
      id,
      close: async () => {
        if (!this.#listeners.delete(id) || this.#closed) return;
        await this.#request(UNSUBSCRIBE_METHOD, { subscription: id }, this.#callTimeoutMs).catch(() => undefined);
      },
    };
  }

  /** Settles when the connection is gone, whoever closed it. */
  closedPromise(): Promise<void> {
    return this.#closedPromise;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await new Promise<void>((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.close();
      // A peer that never completes the closing handshake is cut.
      setTimeout(() => {
        this.#socket.terminate();
        resolve();
      }, 1_000).unref();
    });
  }

  #request(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    if (this.#closed) return Promise.reject(new OwlError('OWL_CONNECTION_CLOSED', `connection closed before calling "${method}"`));
    const id = this.#nextId++;
    const frame = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    // The daemon would refuse it anyway: fail now, without sending a megabyte for nothing.
    const size = Buffer.byteLength(frame);
    if (size > this.#maxFrameBytes) {
      return Promise.reject(
        new OwlError('OWL_FRAME_TOO_LARGE', `the "${method}" request is ${size} bytes, more than the ${this.#maxFrameBytes} bytes the daemon accepts in one frame`, {
          data: { size, limit: this.#maxFrameBytes },
        }),
      );
    }
    // The deadline counts from the first thing awaited, not from an idle stretch before it.
    if (this.#pending.size === 0 && this.#listeners.size === 0) this.#lastSignOfLife = Date.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new OwlError('OWL_TIMEOUT', `"${method}" got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#socket.send(frame);
    });
  }

  #socketOnMessage(text: string): void {
    this.#lastSignOfLife = Date.now();
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (frame.method === SUBSCRIPTION_METHOD) {
      const params = frame.params as SubscriptionParams;
      const listener = this.#listeners.get(params.subscription);
      if (listener) this.#deliver(listener, params);
      else this.#holdEarly(params);
      return;
    }
    const pending = typeof frame.id === 'number' ? this.#pending.get(frame.id) : undefined;
    if (!pending) return;
    this.#pending.delete(frame.id as number);
    clearTimeout(pending.timer);
    if (frame.error) pending.reject(errorFromFrame(frame.error as JsonRpcErrorObject));
    else pending.resolve(frame.result);
  }

  #deliver(listener: SubscriptionListener, params: SubscriptionParams): void {
    if (params.end) {
      this.#listeners.delete(params.subscription);
      listener.onEnd?.(params.error ? new Error(params.error) : undefined);
    } else {
      listener.onData(params.data);
    }
  }

  #holdEarly(params: SubscriptionParams): void {
    const held = this.#early.get(params.subscription) ?? [];
    if (held.length >= MAX_EARLY_NOTIFICATIONS) return;
    if (held.length === 0) {
      // Ids nobody claims (an unsubscribe raced a push) are forgotten, oldest first.
      if (this.#early.size >= MAX_EARLY_SUBSCRIPTIONS) this.#early.delete(this.#early.keys().next().value as string);
      this.#early.set(params.subscription, held);
    }
    held.push({ data: params.data, end: params.end, error: params.error });
  }

  #socketOnClose(): void {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#resolveClosed();
    const why = this.#socketError ? `: ${this.#socketError.message}` : '';
    const cause = this.#socketError;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(this.#notAnswering ?? new OwlError('OWL_CONNECTION_CLOSED', `connection to the daemon closed before call ${id} was answered${why}`, { cause }));
    }
    this.#pending.clear();
    for (const listener of this.#listeners.values()) listener.onEnd?.(this.#notAnswering ?? new OwlError('OWL_CONNECTION_CLOSED', `connection to the daemon closed${why}`, { cause }));
    this.#listeners.clear();
  }
}
