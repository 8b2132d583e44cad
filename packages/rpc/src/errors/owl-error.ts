/** Every error owl reports carries one of these stable codes. */
export const OWL_ERROR_CODES = [
  'OWL_PARSE_ERROR',
  'OWL_INVALID_REQUEST',
  'OWL_METHOD_NOT_FOUND',
  'OWL_INVALID_PARAMS',
  'OWL_INTERNAL',
  'OWL_FRAME_TOO_LARGE',
  'OWL_TOO_MANY_REQUESTS',
  'OWL_LIMIT_EXCEEDED',
  'OWL_UNAUTHORIZED',
  'OWL_FORBIDDEN',
  'OWL_NOT_FOUND',
  'OWL_ALREADY_EXISTS',
  'OWL_USAGE',
  'OWL_CONFIG_INVALID',
  'OWL_DAEMON_UNREACHABLE',
  'OWL_DAEMON_RUNNING',
  'OWL_DAEMON_NOT_RUNNING',
  'OWL_LOCK_HELD',
  'OWL_TIMEOUT',
  'OWL_CONNECTION_CLOSED',
  'OWL_EXECUTABLE_NOT_FOUND',
  'OWL_SPAWN_FAILED',
  /** `owl reload` stopped at a replacement that did not come up. */
  'OWL_RELOAD_FAILED',
  'OWL_SERVICE_FAILED',
  /** A `windows.session: "user"` app found no user logged on at the console. */
  'OWL_NO_USER_SESSION',
  'OWL_TLS_FINGERPRINT_MISMATCH',
  /** `owl audit verify` found an edited, deleted, inserted or malformed record. */
  'OWL_AUDIT_BROKEN',
  /** The daemon could not save a change of intent to OWL_HOME (disk full, read-only, I/O error); it keeps retrying. */
  'OWL_STATE_WRITE_FAILED',
  /** The daemon accepted the connection but did not answer within the deadline (stopped or hung). */
  'OWL_DAEMON_NOT_ANSWERING',
  /** A cluster method on a daemon that is in no cluster. */
  'OWL_CLUSTER_DISABLED',
  /** The cluster's Redis cannot be reached now. */
  'OWL_REDIS_UNAVAILABLE',
  /** A fleet command failed, expired or timed out on at least one node. */
  'OWL_FLEET_INCOMPLETE',
  /** An app instance was asked to change status along an edge its state machine does not have (a bug in the daemon). */
  'OWL_ILLEGAL_TRANSITION',
] as const;

export type OwlErrorCode = (typeof OWL_ERROR_CODES)[number];

/** Marks an OwlError whichever copy of this module made it (see OwlError's instanceof). */
const OWL_ERROR_BRAND = Symbol.for('owl.OwlError');

export interface OwlErrorOptions {
  cause?: unknown;
  data?: Record<string, unknown>;
}

/**
 * The one error family of owl: a stable `code`, a message naming the thing, what was
 * expected and what was received, and optional structured `data`.
 *
 * @example
 * throw new OwlError('OWL_NOT_FOUND', 'app "web" not found', { data: { name: 'web' } });
 */
export class OwlError extends Error {
  readonly code: OwlErrorCode;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: OwlErrorCode, message: string, options: OwlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OwlError';
    this.code = code;
    this.data = options.data;
    Object.defineProperty(this, OWL_ERROR_BRAND, { value: true });
  }

  /**
   * `x instanceof OwlError` holds for an OwlError made by another copy of this class: the CLI
   * loads the daemon (`owl daemon run`), the audit and the console as bundles of their own, each
   * with its own copy. Subclasses keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== OwlError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OWL_ERROR_BRAND] === true;
  }
}

export function isOwlError(value: unknown): value is OwlError {
  return value instanceof OwlError;
}

export function isOwlErrorCode(value: unknown): value is OwlErrorCode {
  return typeof value === 'string' && (OWL_ERROR_CODES as readonly string[]).includes(value);
}

/** Wraps anything thrown into an OwlError, keeping the original as the cause. */
export function toOwlError(error: unknown): OwlError {
  if (isOwlError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new OwlError('OWL_INTERNAL', message, { cause: error });
}
