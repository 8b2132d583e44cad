/** A message as it arrives: one buffer, or (from `ws`) its fragments or an ArrayBuffer. */
export type RpcSocketData = Buffer | ArrayBuffer | Buffer[];

/** WHATWG readyState of an open WebSocket. */
export const RPC_SOCKET_OPEN = 1;

/**
 * What RpcServer needs of a server-side WebSocket: the `ws` package's (TCP plane) and the
 * light one over node:net (management plane) both provide it.
 */
export interface RpcSocket {
  readonly readyState: number;
  /** Bytes queued to the peer and not yet sent. */
  readonly bufferedAmount: number;
  send(text: string): void;
  on(event: 'message', listener: (data: RpcSocketData, isBinary: boolean) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}
