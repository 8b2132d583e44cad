import { listenRpc, type Listener, type RpcServer } from '@owl/rpc/server';

/**
 * The local plane: the unix socket (0600) or named pipe of this home. Whoever can open it
 * is trusted as admin, like the docker socket.
 */
export function startManagementPlane(address: string, rpc: RpcServer): Promise<Listener> {
  return listenRpc({
    target: { path: address },
    rpc,
    authenticate: () => ({ role: 'admin', plane: 'local', subject: 'local' }),
  });
}
