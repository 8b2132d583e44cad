import { createRequire } from 'node:module';
import type * as NodeCrypto from 'node:crypto';

const requireBuiltin = createRequire(import.meta.url);
let loaded: typeof NodeCrypto | undefined;

/**
 * node:crypto, loaded on its first use rather than at import: it pulls in ~20 internal modules
 * (~5-7 ms of a cold start here), and owld with no apps, tokens or webhooks hashes nothing.
 */
export function nodeCrypto(): typeof NodeCrypto {
  loaded ??= requireBuiltin('node:crypto') as typeof NodeCrypto;
  return loaded;
}
