import { OwlError, type ConnectTarget } from '@owl/rpc';
import { readRemotes, remotesFile } from './remotes-file.ts';

/** The connection target of `--on <alias>`. */
export function remoteTarget(alias: string): ConnectTarget {
  const file = remotesFile();
  const remote = readRemotes(file)[alias];
  if (!remote) {
    throw new OwlError('OWL_NOT_FOUND', `no remote named "${alias}" in ${file}; add it with: owl remote add ${alias} <url> --token <token>`, { data: { alias } });
  }
  return { kind: 'remote', url: remote.url, ...(remote.token ? { token: remote.token } : {}), ...(remote.fingerprint ? { fingerprint: remote.fingerprint } : {}) };
}
