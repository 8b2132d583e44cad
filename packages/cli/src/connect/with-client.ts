import { RpcClient, type ConnectTarget } from '@owl/rpc';
import type { GlobalOptions } from './global-options.ts';
import { resolveCliHome } from './resolve-home.ts';
import { remoteTarget } from '../remotes/remote-target.ts';
import { DEFAULT_ANSWER_TIMEOUT_MS, describeNotAnswering } from './answer-deadline.ts';

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

/**
 * Opens a client, runs `work`, always closes. The daemon must answer within --timeout (connect,
 * and a sign of life while a call runs): a stopped or hung daemon gives exit 3 naming its pid.
 */
export async function withClient<T>(options: GlobalOptions, work: (client: RpcClient) => Promise<T>): Promise<T> {
  const target = connectTarget(options);
  const home = target.kind === 'local' ? target.home : undefined;
  try {
    const client = await RpcClient.connect(target, { callTimeoutMs: 120_000, answerTimeoutMs: options.timeout ?? DEFAULT_ANSWER_TIMEOUT_MS });
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  } catch (error) {
    throw describeNotAnswering(error, home);
  }
}
