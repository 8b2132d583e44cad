import { listenLocalRpc, type Listener, type RpcServer } from '@owl/rpc/server';
import type { HeldListener } from '@owl/rpc/held-listener';

/**
 * The local plane: the unix socket (0600) or named pipe of this home. Whoever can open it
 * is trusted as admin, like the docker socket. `address` may be a socket owld listens on already
 * (see takeHome): what it held until now is served here. Served by the light WebSocket server
 * (node:net), so owld without a TCP plane loads neither `ws` nor node:http.
 */
export function startManagementPlane(address: string | HeldListener, rpc: RpcServer): Promise<Listener> {
  return listenLocalRpc({
    target: typeof address === 'string' ? { path: address } : address,
    rpc,
    session: { role: 'admin', plane: 'local', subject: 'local' },
  });
}
