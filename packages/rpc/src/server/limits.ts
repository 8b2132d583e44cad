/** Per-connection limits; every input that can grow has one. */
export interface RpcLimits {
  /** Largest frame answered with a JSON-RPC error; 4x this closes the connection. */
  maxFrameBytes: number;
  /** Calls a connection may have outstanding at once. */
  maxInFlight: number;
  /** Open subscriptions per connection. */
  maxSubscriptions: number;
  /** Bytes queued to a slow subscriber before its subscription is ended. */
  maxBufferedBytes: number;
}

export const DEFAULT_RPC_LIMITS: Readonly<RpcLimits> = Object.freeze({
  maxFrameBytes: 1024 * 1024,
  maxInFlight: 64,
  maxSubscriptions: 32,
  maxBufferedBytes: 16 * 1024 * 1024,
});
