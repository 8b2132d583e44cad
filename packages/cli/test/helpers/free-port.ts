import { createServer, type AddressInfo } from 'node:net';

/**
 * A loopback port that was free a moment ago: bound to port 0, then released. For fixtures
 * whose port must be known before they start (a health check URL in the app spec).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
