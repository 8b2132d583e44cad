import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClusterStatus } from '@owl/rpc';
import { owlJson, readPid, runOwl, tempHome } from './owl.ts';
import { waitFor } from './wait-for.ts';

export interface TestNode {
  readonly home: string;
  readonly alias: string;
  pid(): number;
}

async function mustRun(args: string[], home: string): Promise<string> {
  const result = await runOwl(args, { home });
  if (result.code !== 0) throw new Error(`owl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** Three (or more) daemons in temp homes: the first runs `cluster init`, the rest `cluster join`. */
export async function startClusterNodes(redisUrl: string, count: number, name: string = 'test', startFlags: string[] = []): Promise<TestNode[]> {
  const nodes: TestNode[] = [];
  let token = '';
  for (let index = 0; index < count; index += 1) {
    const home = tempHome('owl-cluster-');
    const alias = `n${index + 1}`;
    await mustRun(['daemon', 'start', ...startFlags], home);
    if (index === 0) token = (await mustRun(['cluster', 'init', '--redis', redisUrl, '--name', name, '--alias', alias, '--label', `slot=${index % 2}`], home)).trim();
    else await mustRun(['cluster', 'join', token, '--alias', alias, '--label', `slot=${index % 2}`], home);
    nodes.push({ home, alias, pid: () => readPid(path.join(home, 'daemon.pid')) });
  }
  return nodes;
}

export async function clusterStatus(node: TestNode): Promise<ClusterStatus | null> {
  const result = await runOwl(['cluster', 'status', '--json'], { home: node.home });
  return result.code === 0 ? (JSON.parse(result.stdout) as ClusterStatus) : null;
}

/** Waits until exactly one of `nodes` says it leads and every one names it; returns it with its term. */
export async function waitForOneLeader(nodes: readonly TestNode[], timeoutMs: number = 15_000, above: number = 0): Promise<{ leader: TestNode; term: number }> {
  return waitFor(
    async () => {
      const statuses = await Promise.all(nodes.map(clusterStatus));
      const leaders = nodes.filter((_node, index) => statuses[index]?.self.leader);
      if (leaders.length > 1) throw new Error(`two leaders at once: ${leaders.map((node) => node.alias).join(', ')}`);
      const leader = leaders[0];
      const named = statuses.map((status) => status?.leader?.alias);
      const term = statuses[nodes.indexOf(leader as TestNode)]?.self.term ?? 0;
      return leader && named.every((alias) => alias === leader.alias) && term > above ? { leader, term } : null;
    },
    { timeoutMs, intervalMs: 100, message: 'no single leader that every node names' },
  );
}

export async function startDaemon(node: TestNode): Promise<void> {
  await mustRun(['daemon', 'start'], node.home);
}

/** Points a node at another Redis address (e.g. a proxy) and reloads its config. */
export async function pointAt(node: TestNode, redisUrl: string): Promise<void> {
  const file = path.join(node.home, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as { cluster: { redis: string } };
  config.cluster.redis = redisUrl;
  await writeFile(file, JSON.stringify(config, null, 2));
  await mustRun(['daemon', 'reload'], node.home);
}

export { mustRun, owlJson };
