/** What WTSGetActiveConsoleSessionId answers when no session is attached to the console. */
export const NO_CONSOLE_SESSION = 0xffffffff;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_NO_TOKEN = 1008;
export const ERROR_PRIVILEGE_NOT_HELD = 1314;

export interface UserSessionFacts {
  /** WTSGetActiveConsoleSessionId(). */
  activeSession: number;
  /** The daemon's own session (ProcessIdToSessionId). */
  ownSession: number | null;
  /** GetLastError of WTSQueryUserToken(activeSession), or null when it gave a token. */
  tokenError: number | null;
}

export type UserSessionPlan =
  | { kind: 'as-user'; session: number }
  | { kind: 'direct'; session: number }
  | { kind: 'wait'; reason: string }
  | { kind: 'fail'; reason: string };

export const NO_USER_REASON = 'waiting for a user to log on at the console (windows.session: user)';

/**
 * How to launch a `windows.session: "user"` app, decided from what Windows answered:
 * - a token for the console user: CreateProcessAsUser into that session (the service case);
 * - no session at the console, or no user in it (ERROR_NO_TOKEN): wait, and retry;
 * - no privilege to take the user's token (the daemon is not LocalSystem) but the daemon
 *   itself runs in the console session (started by that user): an ordinary spawn lands on that
 *   desktop already;
 * - otherwise it cannot be done from here: say what is needed.
 */
export function planUserSessionLaunch(facts: UserSessionFacts): UserSessionPlan {
  if (facts.activeSession === NO_CONSOLE_SESSION) return { kind: 'wait', reason: NO_USER_REASON };
  if (facts.tokenError === null) return { kind: 'as-user', session: facts.activeSession };
  if (facts.tokenError === ERROR_NO_TOKEN) return { kind: 'wait', reason: NO_USER_REASON };
  if (facts.tokenError === ERROR_PRIVILEGE_NOT_HELD || facts.tokenError === ERROR_ACCESS_DENIED) {
    if (facts.ownSession === facts.activeSession) return { kind: 'direct', session: facts.activeSession };
    return {
      kind: 'fail',
      reason: `cannot launch into the console user's session ${facts.activeSession} from session ${facts.ownSession ?? 'unknown'}: the daemon must run as LocalSystem (owl service install)`,
    };
  }
  return { kind: 'fail', reason: `WTSQueryUserToken failed (Win32 error ${facts.tokenError})` };
}
