import { rm } from 'node:fs/promises';
import type { Server } from 'node:net';

export type ListenTarget = { path: string } | { host: string; port: number };

/** Listens on a unix socket (0600), named pipe or TCP port; the address as clients name it. */
export async function listenOn(server: Server, target: ListenTarget): Promise<string> {
  if ('path' in target) {
    if (process.platform !== 'win32') {
      // Our pid lock is held, so a socket file left here belongs to a dead daemon.
      await rm(target.path, { force: true });
    }
    // Created 0600 from the start: no window in which another user could connect.
    const previousMask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(target.path, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(previousMask);
    }
    return target.path;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(target.port, target.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : target.port;
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${port}`;
}
