import { mkdirSync } from 'node:fs';
import { OwlError } from '@owl/rpc';
import type { AppSpec } from '@owl/rpc/contract';
import type { AppLogPaths } from '../app-logs/app-log-paths.ts';
import type { SpawnedApp } from './spawn-app.ts';

/** How often an app waiting for a user to log on checks again. */
export const USER_SESSION_RETRY_MS = 5_000;

/**
 * Launches a `windows.session: "user"` app onto the console user's desktop. Null means an
 * ordinary spawn already lands there (the daemon runs in that session itself). Throws
 * OWL_NO_USER_SESSION while nobody is logged on, which the runner turns into `queued`.
 */
export async function spawnInUserSession(spec: AppSpec, executable: string, cwd: string, env: NodeJS.ProcessEnv, logs: AppLogPaths): Promise<SpawnedApp | null> {
  // Loaded only for such apps on Windows: it binds wtsapi32 and advapi32 through koffi.
  const { planForConsoleUser, spawnAsConsoleUser } = await import('../process/win32-user-session.ts');
  const { plan, token } = planForConsoleUser();
  if (plan.kind === 'wait') throw new OwlError('OWL_NO_USER_SESSION', plan.reason);
  if (plan.kind === 'fail') throw new OwlError('OWL_SPAWN_FAILED', `app "${spec.name}": ${plan.reason}`);
  if (plan.kind === 'direct') return null;
  mkdirSync(logs.directory, { recursive: true });
  const launched = spawnAsConsoleUser(token, plan.session, {
    executable,
    args: spec.args,
    cwd,
    env,
    stdoutPath: logs.out,
    stderrPath: logs.err,
    visibility: spec.windows.visibility,
  });
  return { child: null, pid: launched.pid, executable, exited: launched.exited, session: launched.session };
}
