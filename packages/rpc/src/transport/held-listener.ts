import { createServer, type Server, type Socket } from 'node:net';
import { listenOn, type ListenTarget } from './listen-on.ts';

/**
 * A server that listens before its RPC server exists: owld takes its socket right after its
 * config and pid lock, then loads the rest of itself and restores its apps (and only then
 * says ready). Connections that arrive meanwhile are held unread (what they send waits in
 * their buffers) and handed to the handler `listenLocalRpc` gives when it takes the server
 * over: an early call waits, it is not refused.
 */
export interface HeldListener {
  readonly server: Server;
  readonly address: string;
  /** Called by listenLocalRpc: hands it the held connections, and every later one. */
  release(onConnection: (socket: Socket) => void): void;
  /** For a start that fails before listenLocalRpc took over: drops what was held and stops listening. */
  close(): Promise<void>;
}

/** Listens on `target` at once (a unix socket is 0600 from the start); this module loads no WebSocket, HTTP or RPC code. */
export async function listenHeld(target: ListenTarget): Promise<HeldListener> {
  const server = createServer();
  const held = new Set<Socket>();
  const hold = (socket: Socket): void => {
    socket.on('error', () => undefined);
    held.add(socket);
    socket.once('close', () => held.delete(socket));
  };
  server.on('connection', hold);
  const address = await listenOn(server, target);
  return {
    server,
    address,
    release(onConnection) {
      server.off('connection', hold);
      server.on('connection', onConnection);
      const early = [...held];
      held.clear();
      for (const socket of early) onConnection(socket);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of held) socket.destroy();
      held.clear();
      await closed;
    },
  };
}
