import { OwlError } from '@owl/rpc';

/** Why a caller was refused; recorded in `auth_failed` events (never with the token). */
export type AuthFailureReason = 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'invalid_claims' | 'unknown_token' | 'revoked';

/** An OWL_UNAUTHORIZED error that also says why, for events and the log. */
export class AuthFailure extends OwlError {
  readonly reason: AuthFailureReason;
  /** The token's id when the token itself was genuine (revoked, unknown). */
  readonly tokenId: string | undefined;

  constructor(reason: AuthFailureReason, message: string, tokenId?: string) {
    super('OWL_UNAUTHORIZED', message, { data: { reason } });
    this.reason = reason;
    this.tokenId = tokenId;
  }
}
