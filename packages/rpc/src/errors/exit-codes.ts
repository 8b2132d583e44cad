import type { OwlErrorCode } from './owl-error.ts';

/**
 * The exit codes of both binaries, `owl` and `owld`: one meaning per number, so a script or a
 * service manager reads them the same whichever one it ran.
 */
export const EXIT = Object.freeze({
  ok: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
  unauthorized: 4,
  notFound: 5,
  /** A daemon already holds this home (a second `owld`, or `owl daemon start` while one runs). */
  alreadyRunning: 6,
});

const BY_CODE: Partial<Record<OwlErrorCode, number>> = {
  OWL_USAGE: EXIT.usage,
  OWL_INVALID_PARAMS: EXIT.usage,
  OWL_CONFIG_INVALID: EXIT.usage,
  // The request itself is too big (a config of too many apps): the caller must change it.
  OWL_FRAME_TOO_LARGE: EXIT.usage,
  OWL_DAEMON_UNREACHABLE: EXIT.unreachable,
  OWL_DAEMON_NOT_RUNNING: EXIT.unreachable,
  OWL_DAEMON_NOT_ANSWERING: EXIT.unreachable,
  OWL_UNAUTHORIZED: EXIT.unauthorized,
  OWL_FORBIDDEN: EXIT.unauthorized,
  OWL_TLS_FINGERPRINT_MISMATCH: EXIT.unauthorized,
  OWL_NOT_FOUND: EXIT.notFound,
  OWL_CLUSTER_DISABLED: EXIT.usage,
  OWL_REDIS_UNAVAILABLE: EXIT.unreachable,
  OWL_DAEMON_RUNNING: EXIT.alreadyRunning,
};

/** The one place an error code becomes a process exit code. */
export function exitCodeFor(code: OwlErrorCode): number {
  return BY_CODE[code] ?? EXIT.failed;
}
