/** The one WebSocket endpoint of every plane. */
export const RPC_PATH = '/rpc';
