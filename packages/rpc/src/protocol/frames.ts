import { OwlError } from '../errors/owl-error.ts';

export type JsonRpcId = string | number | null;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id?: JsonRpcId;
  method: string;
  params?: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: { code: string } & Record<string, unknown>;
}

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: JsonRpcId; result: unknown }
  | { jsonrpc: '2.0'; id: JsonRpcId; error: JsonRpcErrorObject };

/** Server -> client push for an open subscription. */
export interface SubscriptionNotification {
  jsonrpc: '2.0';
  method: 'subscription';
  params: { subscription: string; data: unknown };
}

export const SUBSCRIPTION_METHOD = 'subscription';
export const UNSUBSCRIBE_METHOD = 'rpc.unsubscribe';

function isValidId(id: unknown): id is JsonRpcId {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

/** Best-effort id of a frame that failed validation, so the error can still be correlated. */
export function salvageId(value: unknown): JsonRpcId {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (isValidId(id)) return id;
  }
  return null;
}

/** The response header of the WebSocket upgrade that tells clients the largest frame the daemon reads. */
export const MAX_FRAME_HEADER = 'x-owl-max-frame-bytes';

// The top-level id of a frame as owl's client writes it ({"jsonrpc":"2.0","id":...}), read
// from its first bytes only: anchored at the object's start, it cannot match an id in params.
const LEADING_ID = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d{1,15}|"[^"\\]{0,128}")\s*[,}]/;

/** The id of a frame too large to parse, so its error still reaches the caller waiting on it. */
export function leadingId(prefix: string): JsonRpcId {
  const match = LEADING_ID.exec(prefix);
  if (!match?.[1]) return null;
  return match[1].startsWith('"') ? match[1].slice(1, -1) : Number(match[1]);
}

/**
 * Parses one text frame into a JSON-RPC request, throwing OwlError with
 * OWL_PARSE_ERROR or OWL_INVALID_REQUEST that names what is wrong.
 */
export function parseRequestFrame(text: string): JsonRpcRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OwlError('OWL_PARSE_ERROR', `frame is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(value)) {
    throw new OwlError('OWL_INVALID_REQUEST', 'batch requests are not supported: send one JSON-RPC object per frame');
  }
  if (typeof value !== 'object' || value === null) {
    throw new OwlError('OWL_INVALID_REQUEST', `frame must be a JSON-RPC object, received ${value === null ? 'null' : typeof value}`);
  }
  const frame = value as Record<string, unknown>;
  if (frame.jsonrpc !== '2.0') {
    throw new OwlError('OWL_INVALID_REQUEST', `field "jsonrpc" must be "2.0", received ${JSON.stringify(frame.jsonrpc) ?? 'nothing'}`);
  }
  if (typeof frame.method !== 'string' || frame.method.length === 0) {
    throw new OwlError('OWL_INVALID_REQUEST', 'field "method" must be a non-empty string');
  }
  if ('id' in frame && !isValidId(frame.id)) {
    throw new OwlError('OWL_INVALID_REQUEST', 'field "id" must be a string, a number or null');
  }
  if ('params' in frame && (typeof frame.params !== 'object' || frame.params === null)) {
    throw new OwlError('OWL_INVALID_REQUEST', 'field "params" must be an object or an array when present');
  }
  return frame as unknown as JsonRpcRequest;
}
