import { nodeCrypto } from '@owl/rpc';

/**
 * The environment variable every child carries: `<home id>:<app>:<instance>:<launch id>`.
 * It is read back from the process itself (Linux /proc/<pid>/environ, macOS `ps eww`), so a
 * restarted daemon finds a child whose pid never reached state.json.
 */
export const LAUNCH_ENV = 'OWL_LAUNCH';

export interface LaunchMarker {
  /** Which OWL_HOME launched it: daemons of other homes leave it alone. */
  homeId: string;
  app: string;
  instance: number;
  launchId: string;
}

/** Short, stable id of an OWL_HOME (the daemon's own, for every child it starts). */
export function homeIdOf(home: string): string {
  return nodeCrypto().createHash('sha256').update(home).digest('hex').slice(0, 16);
}

/**
 * The home id, computed on first use: hashing loads node:crypto, which an owld that finds no
 * marked process at boot and launches nothing never needs.
 */
export function lazyHomeId(home: string): () => string {
  let id: string | undefined;
  return () => (id ??= homeIdOf(home));
}

/** What a launch id looks like: 16 hex digits (see newLaunchId). */
export const LAUNCH_ID_PATTERN = /^[0-9a-f]{16}$/;

/** A fresh id for one launch; recorded in state.json before the spawn. */
export function newLaunchId(): string {
  return nodeCrypto().randomBytes(8).toString('hex');
}

export function formatLaunchMarker(marker: LaunchMarker): string {
  return `${marker.homeId}:${marker.app}:${marker.instance}:${marker.launchId}`;
}

// App names are [A-Za-z0-9._-]: no colon, so the four fields split unambiguously.
const MARKER_PATTERN = /^([0-9a-f]{16}):([A-Za-z0-9._-]{1,64}):(\d{1,6}):([0-9a-f]{16})$/;

/** The marker in an environment value, or null when it is not one of owl's. */
export function parseLaunchMarker(value: string): LaunchMarker | null {
  const match = MARKER_PATTERN.exec(value.trim());
  if (match === null) return null;
  return { homeId: match[1] as string, app: match[2] as string, instance: Number(match[3]), launchId: match[4] as string };
}
