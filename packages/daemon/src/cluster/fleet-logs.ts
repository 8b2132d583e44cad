import { OwlError, RpcClient, type FleetLogsRow } from '@owl/rpc';
import type { LogLine } from '@owl/rpc/contract';
import { requireTargets, type TargetSelector } from './fleet-command.ts';
import type { Member } from './read-members.ts';

/** A peer that does not answer within these is reported `unreachable`; the other nodes' lines still come back. */
const PEER_CONNECT_TIMEOUT_MS = 3_000;
const PEER_CALL_TIMEOUT_MS = 5_000;

export interface FleetLogsRequest extends TargetSelector {
  app: string;
  lines: number;
}

export interface FleetLogsContext {
  selfId: string;
  members: readonly Member[];
  /** This node's own lines: read in place, not over the network. */
  readLocal(app: string, lines: number): Promise<LogLine[]>;
  /** A fresh short-lived token (role node, signed with the cluster key) for one peer call. */
  nodeToken(): Promise<string>;
}

/** `host:port` from the cluster block, or a full ws(s):// URL; TLS when the peer published its certificate's fingerprint. */
export function peerUrl(address: string, fingerprint: string | null): string {
  if (/^wss?:\/\//.test(address)) return address;
  return `${fingerprint ? 'wss' : 'ws'}://${address}`;
}

/** One peer's last lines over its TCP plane. The certificate is pinned by the fingerprint the peer signed into its identity. */
async function readPeerLines(address: string, fingerprint: string | null, token: string, app: string, lines: number): Promise<LogLine[]> {
  const url = peerUrl(address, fingerprint);
  const client = await RpcClient.connect({ kind: 'remote', url, token, ...(fingerprint && url.startsWith('wss:') ? { fingerprint } : {}) }, { connectTimeoutMs: PEER_CONNECT_TIMEOUT_MS, callTimeoutMs: PEER_CALL_TIMEOUT_MS, answerTimeoutMs: PEER_CALL_TIMEOUT_MS });
  try {
    return await client.call('logs.read', { name: app, lines });
  } finally {
    await client.close();
  }
}

/** Every chosen node's last lines of `app`, one row per node, fetched in parallel; a node that cannot answer is a row saying why. */
export async function readFleetLogs(context: FleetLogsContext, request: FleetLogsRequest): Promise<FleetLogsRow[]> {
  const candidates = context.members.map((member) => ({ member, id: member.id, alias: member.identity?.alias ?? member.id, labels: member.identity?.labels ?? {} }));
  const targets = requireTargets(candidates, request);
  return Promise.all(
    targets.map(async ({ member, id, alias }): Promise<FleetLogsRow> => {
      const row = { nodeId: id, node: alias };
      const address = member.record?.address ?? member.identity?.address ?? null;
      if (id !== context.selfId && member.record === null) return { ...row, status: 'offline', message: 'node offline (no heartbeat)', lines: [] };
      if (id !== context.selfId && !address) return { ...row, status: 'no_address', message: 'the node has no TCP plane address (join with --address host:port)', lines: [] };
      try {
        const lines = id === context.selfId ? await context.readLocal(request.app, request.lines) : await readPeerLines(address as string, member.identity?.fingerprint ?? null, await context.nodeToken(), request.app, request.lines);
        return { ...row, status: 'ok', message: `${lines.length} lines`, lines };
      } catch (error) {
        const failure = error as OwlError;
        const unreachable = failure.code === 'OWL_DAEMON_UNREACHABLE' || failure.code === 'OWL_DAEMON_NOT_ANSWERING' || failure.code === 'OWL_UNAUTHORIZED' || failure.code === 'OWL_TLS_FINGERPRINT_MISMATCH';
        return { ...row, status: unreachable ? 'unreachable' : 'failed', message: failure.message, lines: [] };
      }
    }),
  );
}
