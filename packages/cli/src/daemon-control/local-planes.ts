import { RpcClient, type Result } from '@owl/rpc';

export type PlaneInfo = Result<'daemon.status'>['planes'][number];

/** The planes the local daemon of `home` serves; [] when it cannot be asked. */
export async function readLocalPlanes(home: string): Promise<PlaneInfo[]> {
  let client: RpcClient;
  try {
    client = await RpcClient.connect({ kind: 'local', home }, { connectTimeoutMs: 2_000, answerTimeoutMs: 5_000 });
  } catch {
    return [];
  }
  try {
    return (await client.call('daemon.status', {}, { timeoutMs: 5_000 })).planes;
  } catch {
    return [];
  } finally {
    await client.close();
  }
}

/** "tcp   wss://127.0.0.1:9700 (tls, sha256 AB:CD:...)": the URL a remote would use, and the pin. */
export function describePlane(plane: PlaneInfo): string {
  if (plane.kind === 'local') return `local ${plane.address}`;
  const url = `${plane.tls ? 'wss' : 'ws'}://${plane.address}`;
  return `tcp   ${url}${plane.fingerprint ? ` (tls, sha256 ${plane.fingerprint})` : ''}`;
}
