import net from 'node:net';
import type { ProbeResult } from './probe-result.ts';

/** Where TCP checks connect: apps are checked on the machine they run on. */
export const TCP_PROBE_HOST = '127.0.0.1';

/**
 * Passes when a TCP connection to the port opens within `timeoutMs`; the connection is closed
 * at once without sending anything.
 *
 * @example
 * const { ok } = await probeTcp(5432, 2_000);
 */
export function probeTcp(port: number, timeoutMs: number, host: string = TCP_PROBE_HOST): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok: boolean, detail: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, detail });
    };
    const timer = setTimeout(() => finish(false, `no connection to ${host}:${port} within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => finish(true, `connected to ${host}:${port}`));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(false, `cannot connect to ${host}:${port}: ${error.code ?? error.message}`));
  });
}
