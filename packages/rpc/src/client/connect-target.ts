/** Where a client connects: the local daemon of a home, or a daemon's TCP plane by URL. */
export type ConnectTarget =
  | { kind: 'local'; home: string }
  | { kind: 'remote'; url: string; token?: string; fingerprint?: string };

export interface ClientOptions {
  /** Per-call timeout; the CLI's default is generous for slow stops. */
  callTimeoutMs?: number;
  /** How long to wait for the connection to open. */
  connectTimeoutMs?: number;
  /**
   * While a call or subscription is open, the daemon must show a sign of life (an answer, a
   * notification or a WebSocket pong) at least this often, else everything open fails with
   * OWL_DAEMON_NOT_ANSWERING: a stopped or hung daemon never holds a caller forever, while a
   * long call (stopping slow apps) to a live daemon may take as long as it needs.
   */
  answerTimeoutMs?: number;
}
