import type { Result } from '@owl/rpc';

export type PlaneInfo = Result<'daemon.status'>['planes'][number];

/** "tcp   wss://127.0.0.1:9700 (tls, sha256 AB:CD:...)": the URL a remote would use, and the pin. */
export function describePlane(plane: PlaneInfo): string {
  if (plane.kind === 'local') return `local ${plane.address}`;
  const url = `${plane.tls ? 'wss' : 'ws'}://${plane.address}`;
  return `tcp   ${url}${plane.fingerprint ? ` (tls, sha256 ${plane.fingerprint})` : ''}`;
}
