import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with the n-th request (1-based): answer with a status, or never answer. */
export type ReceiverBehaviour = (count: number) => number | 'hang';

export interface Receiver {
  readonly url: string;
  readonly port: number;
  /** Every request, answered or not, in arrival order. */
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on loopback that records webhook requests; closed when the test ends. */
export async function startReceiver(behaviour: ReceiverBehaviour = () => 200, port: number = 0): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = behaviour(requests.length);
      if (answer !== 'hang') response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    // Hanging requests hold their sockets open: cut them so close() can finish.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  onTestFinished(close);
  return { url: `http://127.0.0.1:${bound}/hook`, port: bound, requests, close };
}

/** A loopback port that nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const receiver = await startReceiver();
  await receiver.close();
  return receiver.port;
}
