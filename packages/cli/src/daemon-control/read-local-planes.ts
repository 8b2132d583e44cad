import { RpcClient } from '@owl/rpc';
import type { PlaneInfo } from './local-planes.ts';

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
