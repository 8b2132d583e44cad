import { closeSync, writeSync } from 'node:fs';

/**
 * The environment variable naming the fd `owl daemon start` inherits to owld (a pipe, fd 3):
 * owld writes one line on it once the management plane listens, so the CLI learns readiness
 * from the daemon itself instead of pinging a socket that is not there yet.
 */
export const READY_FD_ENV = 'OWL_READY_FD';

/** A plane as `daemon.status` reports it. */
export interface PlaneInfo {
  kind: 'local' | 'tcp';
  address: string;
  tls?: boolean;
  fingerprint?: string;
}

/**
 * What owld writes on the ready fd: the fields `daemon.ping` answers, and the planes it serves
 * (what `owl daemon start` prints), so the starting CLI needs no call of its own.
 */
export interface ReadyMessage {
  pid: number;
  version: string;
  planes: PlaneInfo[];
}

/** Takes the ready fd from the environment and removes it there, so no app ever inherits it. */
export function takeReadyFd(env: NodeJS.ProcessEnv = process.env): number | null {
  const value = env[READY_FD_ENV];
  delete env[READY_FD_ENV];
  const fd = Number(value);
  return value !== undefined && Number.isInteger(fd) && fd > 2 ? fd : null;
}

/** What owld writes on the ready fd instead when it cannot start: the error's code and message. */
export interface StartFailure {
  error: { code: string; message: string; data?: Record<string, unknown> };
}

/**
 * Writes the one line (ready, or why not) and closes the fd; a CLI that went away (EPIPE)
 * changes nothing. Call it once: after the close the fd number may belong to another file.
 */
export function signalReady(fd: number, message: ReadyMessage | StartFailure): void {
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
