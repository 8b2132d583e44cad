import path from 'node:path';
import { OwlError, nodeCrypto } from '@owl/rpc';
import { ensureKeysDirectory, readOrCreateSecretFile } from './keys-directory.ts';

export const SIGNING_KEY_FILE = 'jwt.key';
const KEY_BYTES = 32;

export interface SigningKey {
  /** HS256 secret: the daemon both issues and checks its tokens, so a shared secret fits. */
  readonly secret: Uint8Array;
  /** Names the key in the JWT header (`kid`) so a future rotation can tell keys apart. */
  readonly keyId: string;
}

/** Loads `keys/jwt.key`, creating a random 256-bit secret (mode 0600) on first use. */
export async function loadSigningKey(keysDirectory: string): Promise<SigningKey> {
  await ensureKeysDirectory(keysDirectory);
  const file = path.join(keysDirectory, SIGNING_KEY_FILE);
  const { content } = await readOrCreateSecretFile(file, () => `${nodeCrypto().randomBytes(KEY_BYTES).toString('base64url')}\n`);
  const secret = new Uint8Array(Buffer.from(content.trim(), 'base64url'));
  if (secret.length < KEY_BYTES) {
    throw new OwlError('OWL_CONFIG_INVALID', `${file} holds ${secret.length} bytes, expected a base64url secret of at least ${KEY_BYTES} bytes`);
  }
  const keyId = nodeCrypto().createHash('sha256').update(secret).digest('hex').slice(0, 16);
  return Object.freeze({ secret, keyId });
}
