import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { listenOn, type ListenTarget } from './listen-on.ts';

/**
 * A server that listens before its RPC server exists: owld takes its socket right after its
 * config and pid lock, then loads the rest of itself and restores its apps (and only then
 * says ready). What arrives meanwhile (WebSocket upgrades, plain requests) is held, and handed
 * to the listeners that `listenRpc` attaches when it takes the server over: an early call
 * waits, it is not refused.
 */
export interface HeldListener {
  readonly server: Server;
  readonly address: string;
  /** Called by listenRpc once its listeners are on: replays what was held to them. */
  release(): void;
  /** For a start that fails before listenRpc took over: drops what was held and stops listening. */
  close(): Promise<void>;
}

type Held = { event: 'upgrade'; args: [IncomingMessage, Duplex, Buffer] } | { event: 'request'; args: [IncomingMessage, ServerResponse] };

/** Listens on `target` at once (a unix socket is 0600 from the start); this module loads no WebSocket or RPC code. */
export async function listenHeld(target: ListenTarget): Promise<HeldListener> {
  const server = createServer();
  const held: Held[] = [];
  const holdUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    held.push({ event: 'upgrade', args: [request, socket, head] });
  };
  const holdRequest = (request: IncomingMessage, response: ServerResponse): void => void held.push({ event: 'request', args: [request, response] });
  server.on('upgrade', holdUpgrade);
  server.on('request', holdRequest);
  server.on('clientError', (_error, socket: Duplex) => socket.destroy());
  const address = await listenOn(server, target);
  return {
    server,
    address,
    release() {
      server.off('upgrade', holdUpgrade);
      server.off('request', holdRequest);
      for (const { event, args } of held.splice(0)) server.emit(event, ...args);
    },
    async close() {
      for (const { event, args } of held.splice(0)) (event === 'upgrade' ? args[1] : args[0].socket).destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
