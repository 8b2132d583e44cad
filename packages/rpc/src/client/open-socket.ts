import type { OpenedSocket } from './client-socket.ts';
import type { ConnectTarget } from './connect-target.ts';
import { openLocalSocket } from './open-local-socket.ts';

/**
 * Opens the WebSocket to a daemon, mapping failures to OWL_DAEMON_UNREACHABLE / OWL_UNAUTHORIZED.
 * The local daemon is reached with the light client; `ws` (and with it http, https, tls, crypto
 * and zlib) loads only for a remote one.
 */
export async function openSocket(target: ConnectTarget, connectTimeoutMs: number): Promise<OpenedSocket> {
  if (target.kind === 'local') return openLocalSocket(target, connectTimeoutMs);
  const { openRemoteSocket } = await import('./open-remote-socket.ts');
  return openRemoteSocket(target, connectTimeoutMs);
}
