import { OwlError, type OwlErrorCode } from '../errors/owl-error.ts';
import { DEFAULT_RPC_LIMITS } from '../server/limits.ts';
import { managementAddress } from '../transport/management-address.ts';
import type { ConnectTarget } from './connect-target.ts';

const STATUS_CODES: Record<number, OwlErrorCode> = { 401: 'OWL_UNAUTHORIZED', 403: 'OWL_FORBIDDEN', 429: 'OWL_TOO_MANY_REQUESTS' };

export function describeTarget(target: ConnectTarget): string {
  return target.kind === 'local' ? `the daemon of ${target.home} (${managementAddress(target.home)})` : target.url;
}

/** The daemon answered the upgrade with an HTTP error; its JSON body says why. */
export function refusedError(target: ConnectTarget, status: number, body: string): OwlError {
  let message = body;
  try {
    message = (JSON.parse(body) as { error?: string }).error ?? body;
  } catch {
    // Plain text body: keep it as it is.
  }
  return new OwlError(STATUS_CODES[status] ?? 'OWL_DAEMON_UNREACHABLE', `${describeTarget(target)} refused the connection (HTTP ${status}): ${message}`);
}

/** Accepted (the kernel does, even for a stopped process) but no answer in time. */
export function notAnsweringError(target: ConnectTarget, timeoutMs: number): OwlError {
  return new OwlError('OWL_DAEMON_NOT_ANSWERING', `${describeTarget(target)} did not answer within ${timeoutMs} ms`, { data: { timeoutMs } });
}

export function unreachableError(target: ConnectTarget, error: NodeJS.ErrnoException, hint: string): OwlError {
  return new OwlError('OWL_DAEMON_UNREACHABLE', `cannot reach ${describeTarget(target)}: ${error.code ?? error.message}${hint}`, { cause: error });
}

/** The frame limit the daemon announced at the upgrade, else the default. */
export function maxFrameBytesOf(advertisedHeader: string | string[] | undefined): number {
  const advertised = Number(advertisedHeader);
  return Number.isSafeInteger(advertised) && advertised > 0 ? advertised : DEFAULT_RPC_LIMITS.maxFrameBytes;
}
