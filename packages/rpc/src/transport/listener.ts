/** A plane's listener: where it listens, and how it stops (clients cut, listening ended). */
export interface Listener {
  readonly address: string;
  close(): Promise<void>;
}
