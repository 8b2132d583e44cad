import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { OwlError } from '@owl/rpc';
import { isHolderAlive, readLockHolder, READY_FD_ENV, type PlaneInfo, type StartFailure } from '@owl/daemon/lock';
import { awaitReadyLine } from './await-ready.ts';
import { daemonEntryPath } from './daemon-entry.ts';
import { readDaemonOutTail } from './daemon-out.ts';
import { DEFAULT_ANSWER_TIMEOUT_MS } from '../connect/answer-deadline.ts';
import { DAEMON_NODE_FLAGS } from './daemon-node-flags.ts';

/** The launch marker owld gives its children (see @owl/daemon adopt/launch-marker). */
const LAUNCH_ENV = 'OWL_LAUNCH';

const START_TIMEOUT_MS = 15_000;
const POLL_MS = 25;

export interface StartedDaemon {
  pid: number;
  version: string;
  /** The planes it serves, as its ready line said; absent when it was found by polling instead. */
  planes?: PlaneInfo[];
}

/**
 * Starts owld detached (it outlives this CLI) and returns once it says it listens, on a pipe
 * it inherits as fd 3 (no polling). Nothing that talks RPC is loaded before the spawn (the
 * ping is only for a live lock holder or a daemon that said nothing): owld's own start is
 * most of a cold start, so it begins as early as this process can make it. Its stdout and
 * stderr go to logs/daemon.out so a crash at start-up is still explained. `daemonArgs` are
 * passed on to owld (the TCP plane flags).
 */
export async function startDaemon(home: string, daemonArgs: string[] = [], timeoutMs: number = DEFAULT_ANSWER_TIMEOUT_MS): Promise<StartedDaemon> {
  await refuseLiveHolder(home, timeoutMs);
  const outFile = path.join(home, 'logs', 'daemon.out');
  // Owner only, as the daemon keeps everything under its home.
  mkdirSync(path.dirname(outFile), { recursive: true, mode: 0o700 });
  const out = openSync(outFile, 'a', 0o600);
  // A daemon started from inside an app must not carry that app's launch marker.
  const { [LAUNCH_ENV]: _marker, ...env } = process.env;
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, daemonEntryPath(), '--home', home, ...daemonArgs], {
    env: { ...env, [READY_FD_ENV]: '3' },
    detached: true,
    stdio: ['ignore', out, out, 'pipe'],
    windowsHide: true,
  });
  closeSync(out);
  let exited: { code: number | null } | undefined;
  child.once('exit', (code) => (exited = { code }));
  child.once('error', () => (exited = { code: null }));
  child.unref();
  const line = await awaitReadyLine(child.stdio[3] as Readable, START_TIMEOUT_MS);
  if (line && 'error' in line) throw startFailed(line.error, home);
  if (line && line.pid === child.pid) return line;
  // No line at all: owld died without a word (explained below), or the fd did not reach it.
  const { pingDaemon } = await import('./ping-daemon.ts');
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answer = await pingDaemon(home, timeoutMs);
    if (answer) return answer;
    if (exited) {
      const tail = await readDaemonOutTail(outFile);
      throw new OwlError('OWL_DAEMON_NOT_RUNNING', `owl daemon exited during start-up (code ${exited.code ?? 'unknown'}): ${tail || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new OwlError('OWL_TIMEOUT', `owl daemon did not answer within ${START_TIMEOUT_MS} ms; see ${outFile}`);
}

/**
 * owld said why it could not start. A rival daemon that took the lock first is "already
 * running" (exit 6), as when it was found before spawning; anything else is a daemon that is
 * not running (exit 3), with owld's own words.
 */
function startFailed(error: StartFailure['error'], home: string): OwlError {
  const rivalPid = Number(error.data?.pid);
  if (error.code === 'OWL_DAEMON_RUNNING' && Number.isInteger(rivalPid)) return alreadyRunning(rivalPid, home);
  return new OwlError('OWL_DAEMON_NOT_RUNNING', `owl daemon exited during start-up: ${error.message}`, { data: { daemonCode: error.code } });
}

function alreadyRunning(pid: number, home: string): OwlError {
  return new OwlError('OWL_DAEMON_RUNNING', `owl daemon is already running (pid ${pid}, home ${home})`, { data: { pid } });
}

/**
 * A live holder of daemon.pid is a running (or starting) daemon: it is asked for its pid and
 * version, and no second one is started. Without one there is no socket to ping.
 */
async function refuseLiveHolder(home: string, timeoutMs: number): Promise<void> {
  const holder = await readLockHolder(path.join(home, 'daemon.pid'));
  if (holder === null || !(await isHolderAlive(holder))) return;
  const { pingDaemon } = await import('./ping-daemon.ts');
  const running = await pingDaemon(home, timeoutMs);
  throw alreadyRunning(running?.pid ?? holder.pid, home);
}
