import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setPriority, constants } from 'node:os';
import { OwlError } from '@owl/rpc';
import type { AppSpec } from '@owl/rpc/contract';
import { resolveExecutable } from '../process/resolve-executable.ts';
import { workingDirectoryProblem } from '../process/working-directory.ts';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE, restrictOpenFile } from '../home/private-files.ts';
import type { AppLogPaths } from '../app-logs/app-log-paths.ts';
import { LAUNCH_ENV } from '../adopt/launch-marker.ts';
import { spawnInUserSession } from './spawn-user-session.ts';

export interface SpawnedApp {
  /** Null for an app launched into the user's session through CreateProcessAsUser. */
  child: ChildProcess | null;
  pid: number;
  executable: string;
  /** The Windows session a `windows.session: "user"` app was launched into with CreateProcessAsUser. */
  session?: number;
  /** Settles when the process exits; attached at spawn so no exit is missed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const PRIORITIES: Record<NonNullable<AppSpec['windows']['priority']>, number> = {
  idle: constants.priority.PRIORITY_LOW,
  below_normal: constants.priority.PRIORITY_BELOW_NORMAL,
  normal: constants.priority.PRIORITY_NORMAL,
  above_normal: constants.priority.PRIORITY_ABOVE_NORMAL,
  high: constants.priority.PRIORITY_HIGH,
  realtime: constants.priority.PRIORITY_HIGHEST,
};

/** What a spawn needs, checked beforehand: the working directory exists, the executable resolves. */
export interface SpawnPlan {
  readonly spec: AppSpec;
  readonly instance: number;
  readonly cwd: string;
  readonly executable: string;
  readonly env: NodeJS.ProcessEnv;
}

function childEnvironment(spec: AppSpec, instance: number): NodeJS.ProcessEnv {
  // NODE_APP_INSTANCE as PM2 sets it, so apps written for PM2 pick their port the same way.
  return { ...process.env, ...spec.env, OWL_APP_NAME: spec.name, OWL_INSTANCE: String(instance), NODE_APP_INSTANCE: String(instance) };
}

/**
 * The checks before a spawn (they touch the file system only to read): a missing cwd or
 * executable is reported by name, with suggestions, instead of a bare ENOENT from spawn.
 */
export async function prepareSpawn(spec: AppSpec, instance: number, defaultCwd: string): Promise<SpawnPlan> {
  const cwd = spec.cwd ?? defaultCwd;
  const env = childEnvironment(spec, instance);
  // Checked first: a missing cwd makes spawn fail with ENOENT, which would blame the executable.
  const cwdProblem = workingDirectoryProblem(cwd);
  if (cwdProblem) throw new OwlError('OWL_SPAWN_FAILED', `cannot start app "${spec.name}": ${cwdProblem}`);
  const executable = await resolveExecutable(spec.command, { cwd, env });
  return { spec, instance, cwd, executable, env };
}

/**
 * Starts one instance of an app. Detached, so it leads its own process group and outlives the
 * daemon; stdout/stderr go straight to its log files (not pipes), so a daemon crash never
 * blocks or kills it. `launchMarker` (OWL_LAUNCH) lets a restarted daemon find it from the process.
 */
export async function spawnApp(plan: SpawnPlan, logs: AppLogPaths, launchMarker: string): Promise<SpawnedApp> {
  const { spec, cwd, executable } = plan;
  // The marker last, so neither the daemon's environment nor the spec can hide it.
  const env = { ...plan.env, [LAUNCH_ENV]: launchMarker };
  if (spec.windows.session === 'user' && process.platform === 'win32') {
    const launched = await spawnInUserSession(spec, executable, cwd, env, logs);
    if (launched) return withPriority(spec, launched);
  }
  ensurePrivateDirectory(logs.directory);
  // Owner only: anything an app prints (tokens, customer data) is not for other local users.
  const out = openSync(logs.out, 'a', PRIVATE_FILE_MODE);
  const err = openSync(logs.err, 'a', PRIVATE_FILE_MODE);
  let child: ChildProcess;
  try {
    restrictOpenFile(out);
    restrictOpenFile(err);
    child = spawn(executable, spec.args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', out, err],
      windowsHide: spec.windows.hide,
    });
  } finally {
    // The child holds its own copies of the descriptors.
    closeSync(out);
    closeSync(err);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new OwlError('OWL_SPAWN_FAILED', `cannot start "${executable}" for app "${spec.name}": ${error.code ?? error.message}`, { cause: error }));
    });
  });
  child.unref();
  return withPriority(spec, { child, pid, executable, exited });
}

function withPriority(spec: AppSpec, spawned: SpawnedApp): SpawnedApp {
  if (spec.windows.priority) {
    // Applied, not just stored; raising priority may need privileges, which is the operator's call.
    try {
      setPriority(spawned.pid, PRIORITIES[spec.windows.priority]);
    } catch {
      // Left at the default priority; the spawn itself succeeded.
    }
  }
  return spawned;
}
