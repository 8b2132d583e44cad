import type { SessionRole } from '../contract/roles.ts';

export type PlaneKind = 'local' | 'tcp';

/** Who is calling, fixed when the connection is accepted. */
export interface Session {
  readonly role: SessionRole;
  readonly plane: PlaneKind;
  /** Token subject on the TCP plane, "local" on the management plane. */
  readonly subject: string;
  readonly remoteAddress?: string;
}

export interface SubscriptionHandle {
  readonly id: string;
  push(data: unknown): void;
  /** Ends the subscription from the server side; the client gets a final notification. */
  end(error?: Error): void;
}

export interface CallContext {
  readonly session: Session;
  /** Opens a subscription; `onClose` runs once when it ends for any reason. */
  openSubscription(onClose: () => void): SubscriptionHandle;
}
