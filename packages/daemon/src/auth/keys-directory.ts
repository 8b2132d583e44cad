import { chmod, mkdir, open, readFile } from 'node:fs/promises';

/** keys/ holds the JWT secret and the TLS key: only the daemon's user may enter it. */
export async function ensureKeysDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(directory, 0o700);
}

/**
 * Reads `file`, or creates it exclusively with mode 0600 from `create()` when it does not
 * exist. Exclusive creation means two racing starts agree on one key instead of each
 * writing its own.
 */
export async function readOrCreateSecretFile(file: string, create: () => Promise<string> | string): Promise<{ content: string; created: boolean }> {
  try {
    const content = await readFile(file, 'utf8');
    // A key file someone loosened is tightened again rather than trusted as it is.
    if (process.platform !== 'win32') await chmod(file, 0o600);
    return { content, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const content = await create();
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { content: await readFile(file, 'utf8'), created: false };
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { content, created: true };
}
