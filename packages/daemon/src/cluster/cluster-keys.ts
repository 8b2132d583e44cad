/**
 * Every key of one cluster. They share the hash tag `{owl:<name>}`, so a Redis Cluster keeps
 * them in one slot and the Lua scripts may touch several of them at once.
 */
export interface ClusterKeys {
  readonly leader: string;
  readonly term: string;
  readonly nodes: string;
  /** Node id -> its signed identity (alias, labels, address), kept while the node is offline. */
  readonly members: string;
  readonly writes: string;
  readonly summaries: string;
  readonly results: string;
  readonly forged: string;
  readonly view: string;
  readonly history: string;
  readonly released: string;
  node(id: string): string;
  commands(id: string): string;
  job(name: string): string;
}

export function clusterKeys(name: string): ClusterKeys {
  const tag = `{owl:${name}}`;
  return Object.freeze({
    leader: `${tag}:leader`,
    term: `${tag}:term`,
    nodes: `${tag}:nodes`,
    members: `${tag}:members`,
    writes: `${tag}:writes`,
    summaries: `${tag}:summaries`,
    results: `${tag}:results`,
    forged: `${tag}:forged`,
    view: `${tag}:view`,
    history: `${tag}:history`,
    // A pub/sub channel, not a key: followers hear a graceful release at once.
    released: `${tag}:released`,
    node: (id: string) => `${tag}:node:${id}`,
    commands: (id: string) => `${tag}:cmd:${id}`,
    job: (jobName: string) => `${tag}:job:${jobName}`,
  });
}
