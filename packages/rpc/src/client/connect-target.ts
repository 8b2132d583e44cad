/** Where a client connects: the local daemon of a home, or a daemon's TCP plane by URL. */
export type ConnectTarget =
  | { kind: 'local'; home: string }
  | { kind: 'remote'; url: string; token?: string; fingerprint?: string };

export interface ClientOptions {
  /** Per-call timeout; the CLI's default is generous for slow stops. */
  callTimeoutMs?: number;
  /** How long to wait for the connection to open. */
  connectTimeoutMs?: number;
}
