/**
 * What RpcClient needs of a WebSocket: the local client's (hand-written, light) and the `ws`
 * package's (remote daemons, TLS) both provide it.
 */
export interface ClientSocket {
  send(text: string): void;
  ping(): void;
  /** Starts the closing handshake. */
  close(): void;
  /** Cuts the connection at once. */
  terminate(): void;
  on(event: 'message', listener: (data: { toString(): string }) => void): unknown;
  on(event: 'pong', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

export interface OpenedSocket {
  socket: ClientSocket;
  /** The largest frame the daemon reads, as it said at the upgrade (the default limit when it did not). */
  maxFrameBytes: number;
}
