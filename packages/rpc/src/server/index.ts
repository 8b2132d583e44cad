export * from './rpc-server.ts';
export * from './limits.ts';
export * from './session.ts';
export * from '../transport/listen.ts';
