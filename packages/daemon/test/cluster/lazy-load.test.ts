import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../../cli/dist/', import.meta.url));
// A message only ioredis itself holds: the file that has it is ioredis.
const IOREDIS_MARK = 'Reached the max retries per request limit';

/** Every file a bundle entry loads at start: static imports only, followed transitively. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(path.join(DIST, file), 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.mjs)"/g)) pending.push(match[1] as string);
  }
  return seen;
}

describe('a daemon without a cluster never loads ioredis', () => {
  it('ioredis and the cluster node sit in chunks that only a dynamic import reaches', () => {
    expect(existsSync(path.join(DIST, 'owld.mjs')), 'run the build first').toBe(true);
    for (const entry of ['owld.mjs', 'owl.mjs']) {
      const loaded = [...staticClosure(entry)];
      const withRedis = loaded.filter((file) => readFileSync(path.join(DIST, file), 'utf8').includes(IOREDIS_MARK));
      expect(withRedis, `${entry} loads ioredis at start`).toEqual([]);
      expect(loaded.filter((file) => file.startsWith('cluster-node-'))).toEqual([]);
    }
  });
});
