import * as z from 'zod';
import { OwlError, toOwlError } from '../errors/owl-error.ts';
import { jsonRpcCodeFor } from '../errors/json-rpc-codes.ts';
import { methods, isMethodName, type MethodName, type Params, type Result } from '../contract/methods.ts';
import { describeConfigIssue, describeIssues } from '../contract/describe-issues.ts';
import { sessionMayCall } from '../contract/node-methods.ts';
import { leadingId, parseRequestFrame, salvageId, UNSUBSCRIBE_METHOD, type JsonRpcId } from '../protocol/frames.ts';
import { DEFAULT_RPC_LIMITS, type RpcLimits } from './limits.ts';
import type { CallContext, Session } from './session.ts';
import { ConnectionSubscriptions } from './subscriptions.ts';
import { RPC_SOCKET_OPEN, type RpcSocket, type RpcSocketData } from './rpc-socket.ts';

export type Handler<M extends MethodName> = (params: Params<M>, context: CallContext) => Promise<Result<M>> | Result<M>;
/** Every method of the contract must have a handler: the type makes a missing one a compile error. */
export type Handlers = { [M in MethodName]: Handler<M> };

export interface RpcServerHooks {
  /** Called before a permitted call runs (audit of who did what). */
  onCall?(method: MethodName, session: Session): void;
  /** Called when a call is refused for its role. */
  onForbidden?(method: MethodName, session: Session): void;
}

/**
 * Formats zod issues as `field: problem; field: problem` so the message names the field
 * (and, parsed with `ZOD_PARSE_OPTIONS`, the bound and the value received).
 */
export function describeZodError(error: z.ZodError): string {
  return describeIssues(error.issues)
    .map(({ path, message }) => `${path === '' ? '(params)' : path}: ${message}`)
    .join('; ');
}

/** safeParse options that word zod's own issues as "expected X, received Y". */
export const ZOD_PARSE_OPTIONS = Object.freeze({ error: describeConfigIssue, reportInput: true });

const ID_PREFIX_BYTES = 256;

function firstBytesOf(raw: RpcSocketData): string {
  const first = Array.isArray(raw) ? (raw[0] ?? Buffer.alloc(0)) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  return first.subarray(0, ID_PREFIX_BYTES).toString('utf8');
}

/**
 * Serves the method map over WebSocket connections: parses frames, enforces limits and
 * roles, validates params once, runs the handler and answers in JSON-RPC 2.0.
 */
export class RpcServer {
  readonly #handlers: Handlers;
  readonly #limits: RpcLimits;
  readonly #hooks: RpcServerHooks;

  constructor(handlers: Handlers, limits: Partial<RpcLimits> = {}, hooks: RpcServerHooks = {}) {
    this.#handlers = handlers;
    this.#limits = { ...DEFAULT_RPC_LIMITS, ...limits };
    this.#hooks = hooks;
  }

  get limits(): Readonly<RpcLimits> {
    return this.#limits;
  }

  handleConnection(socket: RpcSocket, session: Session): void {
    let inFlight = 0;
    const subscriptions = new ConnectionSubscriptions(socket, this.#limits);
    const send = (frame: unknown): void => {
      if (socket.readyState === RPC_SOCKET_OPEN) socket.send(JSON.stringify(frame));
    };
    const sendError = (id: JsonRpcId, error: OwlError): void => {
      send({ jsonrpc: '2.0', id, error: { code: jsonRpcCodeFor(error.code), message: error.message, data: { code: error.code, ...error.data } } });
    };

    const socketOnMessage = (raw: RpcSocketData, isBinary: boolean): void => {
      const size = Array.isArray(raw) ? raw.reduce((sum, part) => sum + part.length, 0) : raw.byteLength;
      if (size > this.#limits.maxFrameBytes) {
        const id = leadingId(firstBytesOf(raw));
        sendError(id, new OwlError('OWL_FRAME_TOO_LARGE', `frame of ${size} bytes exceeds the limit of ${this.#limits.maxFrameBytes} bytes`, { data: { size, limit: this.#limits.maxFrameBytes } }));
        return;
      }
      const text = isBinary ? Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw as ArrayBuffer)]).toString('utf8') : raw.toString();
      let request;
      try {
        request = parseRequestFrame(text);
      } catch (error) {
        let id: JsonRpcId = null;
        try {
          id = salvageId(JSON.parse(text));
        } catch {
          // Not JSON at all: nothing to correlate with.
        }
        sendError(id, toOwlError(error));
        return;
      }
      const isNotification = !('id' in request);
      const id = request.id ?? null;
      if (inFlight >= this.#limits.maxInFlight) {
        if (!isNotification) sendError(id, new OwlError('OWL_TOO_MANY_REQUESTS', `more than ${this.#limits.maxInFlight} calls in flight on this connection`));
        return;
      }
      inFlight += 1;
      const opened: string[] = [];
      this.#dispatch(request.method, request.params, session, subscriptions, opened)
        .then((result) => {
          if (!isNotification) send({ jsonrpc: '2.0', id, result: result ?? null });
          subscriptions.release(opened);
        })
        .catch((error: unknown) => {
          subscriptions.discard(opened);
          if (!isNotification) sendError(id, toOwlError(error));
        })
        .finally(() => {
          inFlight -= 1;
        });
    };

    socket.on('message', socketOnMessage);
    socket.on('close', () => subscriptions.closeAll());
    // A socket error is followed by close; swallowing it keeps one bad peer from crashing the daemon.
    socket.on('error', () => undefined);
  }

  async #dispatch(method: string, rawParams: unknown, session: Session, subscriptions: ConnectionSubscriptions, opened: string[]): Promise<unknown> {
    if (method === UNSUBSCRIBE_METHOD) {
      return subscriptions.unsubscribeFromRequest(rawParams);
    }
    if (!isMethodName(method)) {
      throw new OwlError('OWL_METHOD_NOT_FOUND', `unknown method "${method.slice(0, 100)}"`);
    }
    const definition = methods[method];
    if (!sessionMayCall(session.role, method, definition.role)) {
      this.#hooks.onForbidden?.(method, session);
      throw new OwlError('OWL_FORBIDDEN', `method "${method}" needs role ${definition.role}, the caller has role ${session.role}`, {
        data: { required: definition.role, role: session.role },
      });
    }
    const parsed = definition.params.safeParse(rawParams ?? {}, ZOD_PARSE_OPTIONS);
    if (!parsed.success) {
      throw new OwlError('OWL_INVALID_PARAMS', `invalid params for "${method}": ${describeZodError(parsed.error)}`, {
        data: { issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })) },
      });
    }
    this.#hooks.onCall?.(method, session);
    const handler = this.#handlers[method] as Handler<MethodName>;
    const context: CallContext = {
      session,
      openSubscription: (onClose) => {
        const handle = subscriptions.open(onClose);
        opened.push(handle.id);
        return handle;
      },
    };
    return handler(parsed.data as Params<MethodName>, context);
  }
}
