/**
 * An always-on daemon trades a little speed for memory (measured in docs/performance.md):
 * a 1 MB young generation keeps RSS ~12 MB lower for more frequent, tiny scavenges;
 * --optimize-for-size grows the old generation by a conservative factor instead of up to 4x
 * of what is live (idle with 100 apps: ~103 -> ~65 MiB, for ~0.25 % of a core more CPU).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1', '--optimize-for-size'];
