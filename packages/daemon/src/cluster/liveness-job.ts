import type { ClusterKeys } from './cluster-keys.ts';
import type { LeaderJob } from './leader-job.ts';
import { detectLiveness, type Liveness, type LivenessChange } from './node-liveness.ts';
import { readMembers } from './read-members.ts';

export interface LivenessJobState {
  nodes: Record<string, Liveness>;
}

/**
 * Online/offline detection as a leader job: the last known liveness lives in Redis with the
 * job, so `node_online`/`node_offline` are emitted once per change, also across leader changes.
 */
export function createLivenessJob(keys: ClusterKeys, clusterKey: Uint8Array, announce: (changes: LivenessChange[]) => void, reportForged: (source: string, detail: Record<string, unknown>) => void): LeaderJob<LivenessJobState> {
  // A forged heartbeat counts as no heartbeat; it is reported once per node while it lasts.
  const reported = new Set<string>();
  return {
    name: 'node-liveness',
    initial: () => ({ nodes: {} }),
    plan: async (state, redis) => {
      const members = await readMembers(redis, keys, clusterKey);
      for (const member of members) {
        if (member.forged && !reported.has(member.id)) reportForged('heartbeat', { node: member.id });
        if (member.forged) reported.add(member.id);
        else reported.delete(member.id);
      }
      const alive = new Set(members.filter((member) => member.record !== null).map((member) => member.id));
      const { next, changes } = detectLiveness(state.nodes, members.map((member) => member.id), alive);
      if (changes.length === 0 && Object.keys(next).length === Object.keys(state.nodes).length) return null;
      return { next: { nodes: next }, keys: [], ops: [], afterCommit: () => announce(changes) };
    },
  };
}
