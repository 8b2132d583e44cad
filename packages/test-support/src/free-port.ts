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

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  return listening;
}

/** `count` consecutive loopback ports that were free a moment ago, for apps listening on base + instance. */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = await freePort();
    if (base + count > 65_535) continue;
    let free = true;
    for (let offset = 1; offset < count && free; offset += 1) free = await canListen(base + offset);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
