import { closeSync, writeSync } from 'node:fs';

/**
 * The environment variable naming the fd `owl daemon start` inherits to owld (a pipe, fd 3):
 * owld writes one line on it once the management plane listens, so the CLI learns readiness
 * from the daemon itself instead of pinging a socket that is not there yet.
 */
export const READY_FD_ENV = 'OWL_READY_FD';

/** What owld writes on the ready fd: the same fields `daemon.ping` answers. */
export interface ReadyMessage {
  pid: number;
  version: string;
}

/** Takes the ready fd from the environment and removes it there, so no app ever inherits it. */
export function takeReadyFd(env: NodeJS.ProcessEnv = process.env): number | null {
  const value = env[READY_FD_ENV];
  delete env[READY_FD_ENV];
  const fd = Number(value);
  return value !== undefined && Number.isInteger(fd) && fd > 2 ? fd : null;
}

/** Writes the ready line and closes the fd; a CLI that went away (EPIPE) changes nothing. */
export function signalReady(fd: number, message: ReadyMessage): void {
  try {
    writeSync(fd, `${JSON.stringify(message)}\n`);
  } catch {
    // Nobody reads any more: the daemon runs on regardless.
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
  }
}
