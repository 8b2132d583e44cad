import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

// sockaddr_un holds ~104-108 bytes; longer homes get a hashed socket in the temp dir.
const MAX_UNIX_SOCKET_PATH = 100;

// node:crypto loads only for the homes that need a hash (Windows, very long paths): every
// `owl` call resolves this address, most of them on POSIX with a short home.
function homeHash(home: string): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(path.resolve(home)).digest('hex').slice(0, 16);
}

/**
 * Where the management plane of the daemon for `home` listens: `<home>/owl.sock` on
 * POSIX, `\\.\pipe\owl-<hash of home>` on Windows.
 */
export function managementAddress(home: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `\\\\.\\pipe\\owl-${homeHash(home)}`;
  const socketPath = path.join(path.resolve(home), 'owl.sock');
  if (Buffer.byteLength(socketPath) <= MAX_UNIX_SOCKET_PATH) return socketPath;
  return path.join(tmpdir(), `owl-${homeHash(home)}.sock`);
}
