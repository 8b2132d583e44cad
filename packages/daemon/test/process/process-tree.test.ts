import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { collectDescendants, listDescendants } from '../../src/process/process-tree.ts';
import { readMarkers, waitForMarker, type FixtureMarker } from '@owl/test-support/wait-for';
import { FIXTURES } from '@owl/test-support/fixtures';

/** Starts spawns-grandchild.mjs and SIGKILLs every pid of its tree after the test. */
async function startTree(args: string[]): Promise<FixtureMarker> {
  const directory = await mkdtemp(join(tmpdir(), 'owl-tree-'));
  const marker = join(directory, 'marker.jsonl');
  const child = spawn(process.execPath, [join(FIXTURES, 'spawns-grandchild.mjs'), ...args], {
    env: { ...process.env, OWL_FIXTURE_MARKER: marker },
    stdio: 'ignore',
  });
  onTestFinished(async () => {
    for (const ready of await readMarkers(marker)) {
      for (const pid of [ready.grandchildPid, ready.childPid]) {
        if (typeof pid === 'number') killQuietly(pid);
      }
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  });
  return waitForMarker(marker, 'ready');
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

describe('listDescendants', () => {
  it('finds children and grandchildren but not the root', async () => {
    const tree = await startTree([]);
    const descendants = await listDescendants(tree.pid);
    expect(descendants).toContain(tree.childPid);
    expect(descendants).toContain(tree.grandchildPid);
    expect(descendants).not.toContain(tree.pid);
  });

  it('finds a grandchild that called setsid', async () => {
    const tree = await startTree(['--setsid']);
    expect(await listDescendants(tree.pid)).toEqual(expect.arrayContaining([tree.childPid, tree.grandchildPid]));
  });

  it('is empty for a pid that does not exist', async () => {
    expect(await listDescendants(2 ** 22 + 1)).toEqual([]);
  });

  it('walks a table breadth-first and survives parent cycles', () => {
    const table = [
      { pid: 1, ppid: 0, startTime: 'a' },
      { pid: 10, ppid: 1, startTime: 'b' },
      { pid: 11, ppid: 10, startTime: 'c' },
      { pid: 12, ppid: 11, startTime: 'd' },
      { pid: 20, ppid: 21, startTime: 'e' },
      { pid: 21, ppid: 20, startTime: 'f' },
    ];
    expect(collectDescendants(table, [10]).map((row) => row.pid)).toEqual([11, 12]);
    expect(collectDescendants(table, [20]).map((row) => row.pid)).toEqual([21]);
  });
});
