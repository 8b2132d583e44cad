// A bare JSON-RPC 2.0 client for owl's management socket (WebSocket at /rpc on <home>/owl.sock),
// with `ws` resolved from @owl/rpc: what the bench needs without bundling the TS client.
import net from 'node:net';
import { createRequire } from 'node:module';
import { REPO } from './settings.mjs';

const WebSocket = createRequire(`${REPO}packages/rpc/package.json`)('ws');

export const METHOD_NOT_FOUND = -32601;

/** Opens a connection; `call` sends one request and resolves with the whole reply frame. */
export async function openOwlRpc(socket) {
  const ws = new WebSocket('ws://localhost/rpc', { createConnection: () => net.connect(socket) });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const pending = new Map();
  let nextId = 0;
  ws.on('message', (data) => {
    const reply = JSON.parse(data.toString());
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  return {
    call(method, params = {}) {
      nextId += 1;
      const id = nextId;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}
