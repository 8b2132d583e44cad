import { RpcClient, type ConnectTarget } from '@owl/rpc';
import type { GlobalOptions } from './global-options.ts';
import { resolveCliHome } from './resolve-home.ts';
import { remoteTarget } from '../remotes/remote-target.ts';

/**
 * Where this invocation talks to: `--on <alias>` (a saved remote), else OWL_URL (+ OWL_TOKEN,
 * OWL_FINGERPRINT) for CI, else the local daemon of --home.
 */
export function connectTarget(options: GlobalOptions): ConnectTarget {
  if (options.on) return remoteTarget(options.on);
  const url = process.env.OWL_URL;
  if (url) return { kind: 'remote', url, token: process.env.OWL_TOKEN, fingerprint: process.env.OWL_FINGERPRINT };
  return { kind: 'local', home: resolveCliHome(options.home) };
}

/** Opens a client, runs `work`, always closes. */
export async function withClient<T>(options: GlobalOptions, work: (client: RpcClient) => Promise<T>): Promise<T> {
  const client = await RpcClient.connect(connectTarget(options), { callTimeoutMs: 120_000 });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
