import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OwlError } from '@owl/rpc';

/** How long a daemon may stay silent before the CLI gives up (exit 3), unless --timeout says otherwise. */
export const DEFAULT_ANSWER_TIMEOUT_MS = 5_000;

const UNIT_MS: Record<string, number> = { '': 1, ms: 1, s: 1_000, m: 60_000 };

/**
 * Parses --timeout ("10s", "500ms", "1m", milliseconds) once, at the boundary. Deliberately not
 * the contract's duration parser: that would load zod and the whole contract at every start.
 */
export function parseTimeoutOption(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const parsed = match ? Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? ''] as number)) : undefined;
  if (parsed === undefined || parsed <= 0 || parsed > 3_600_000) {
    throw new OwlError('OWL_USAGE', `--timeout: expected a duration between 1ms and 1h like "5s" or "500ms", received "${value}"`);
  }
  return parsed;
}

/** The pid the daemon's lock file names (first line), or null. */
function lockedPid(home: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(home, 'daemon.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * A silent local daemon is named by its pid (from daemon.pid), so the operator knows what to
 * look at (SIGSTOP, a debugger, a hung process).
 */
export function describeNotAnswering(error: unknown, home: string | undefined): unknown {
  if (!(error instanceof OwlError) || error.code !== 'OWL_DAEMON_NOT_ANSWERING' || home === undefined) return error;
  const pid = lockedPid(home);
  const timeoutMs = error.data?.timeoutMs;
  return new OwlError(
    'OWL_DAEMON_NOT_ANSWERING',
    `owl daemon ${pid === null ? '' : `(pid ${pid}) `}of ${home} is not answering: no answer within ${String(timeoutMs ?? '?')} ms; it is stopped or hung (raise the wait with --timeout)`,
    { cause: error, data: { pid, home, timeoutMs } },
  );
}
