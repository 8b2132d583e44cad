export * from './rpc-server.ts';
export * from './limits.ts';
export * from './session.ts';
export type { Listener } from '../transport/listener.ts';
export * from './rpc-socket.ts';
export * from '../websocket-server/listen-local.ts';
