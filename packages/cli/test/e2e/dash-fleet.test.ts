import { describe, expect, it } from 'vitest';
import { startClusterNodes, waitForOneLeader, type TestNode } from '@owl/test-support/cluster-nodes';
import { startRedisServer } from '@owl/test-support/redis-server';
import { waitFor } from '@owl/test-support/wait-for';
import { appRow, startFixture } from '@owl/test-support/apps';
import { OWL_BIN, runOwl, tempHome } from '@owl/test-support/owl';
import { startPane, tmuxMissing } from '../helpers/tmux-pane.ts';

const missing = tmuxMissing();

/**
 * Whether a line of the screen shows these cells in a row. tmux captures the tables' vertical
 * borders as `x` (the line-drawing character set's letter for them) or as `│`.
 */
const row = (screen: string, ...cells: string[]): boolean => {
  const pattern = new RegExp(`[x│]${cells.join('\\s+[x│]')}(\\s|$)`);
  return screen.split('\n').some((line) => pattern.test(line));
};

describe.skipIf(missing)('owl dash --fleet', () => {
  it('shows the leader, every node and every node\'s apps from any node, and restarts an app on its own node', async () => {
    const redis = await startRedisServer();
    const nodes = await startClusterNodes(redis.url, 2, 'dash');
    const [n1, n2] = nodes as [TestNode, TestNode];
    await startFixture(n1.home, 'api', 'forever.mjs');
    await startFixture(n2.home, 'worker', 'forever.mjs');
    const { leader, term } = await waitForOneLeader(nodes);
    const before = await appRow(n1.home, 'api');

    const pane = startPane([process.execPath, OWL_BIN, '--home', n2.home, 'dash', '--fleet', '--refresh', '200']);
    const first = await waitFor(
      () => {
        const screen = pane.screen();
        return row(screen, 'n1', 'api', 'running') && row(screen, 'n2', 'worker', 'running') && screen.includes('nodes 2 online') ? screen : undefined;
      },
      { timeoutMs: 30_000, message: 'the fleet dashboard never showed both nodes\' apps running' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the screen:\n${pane.screen()}`);
    });
    expect(first).toContain(`owl dash --fleet  dash via n2   leader ${leader.alias} (term ${term})   nodes 2 online, 0 offline   apps 2/2 running   redis up`);
    expect(row(first, 'all', '2/2 online', '2/2')).toBe(true);
    expect(row(first, 'n1', leader === n1 ? 'online leader' : 'online', '1/1')).toBe(true);
    expect(row(first, 'n2', leader === n2 ? 'online leader' : 'online', '1/1')).toBe(true);
    expect(first).toContain('apps: all nodes');

    // Down from "all" to n1: only n1's apps are listed below.
    pane.keys('Down');
    await waitFor(() => pane.screen().includes('apps: n1') && !row(pane.screen(), 'n2', 'worker'), { message: 'choosing n1 did not narrow the apps to n1\'s' });

    // r on the nodes table asks for an app first; on the apps table it restarts api on n1 only.
    pane.keys('r');
    await waitFor(() => pane.screen().includes('select an app first'), { message: 'r on the nodes table did not ask for an app' });
    pane.keys('Tab');
    pane.keys('r');
    await waitFor(() => pane.screen().includes('restart api: n1: ok'), { timeoutMs: 30_000, message: 'r did not report the restart on n1' });
    const after = await appRow(n1.home, 'api');
    expect(after?.pid).not.toBe(before?.pid);
    expect(after?.status).toBe('running');

    pane.keys('q');
    await waitFor(() => !pane.alive(), { message: 'q did not end the dashboard' });
  }, 120_000);

  it('says plainly when the daemon is not in a cluster, before taking the terminal', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    // The pane keeps the command's output and exit code on screen until the test ends.
    const pane = startPane(['sh', '-c', `"${process.execPath}" "${OWL_BIN}" --home "${home}" dash --fleet; echo "exit $?"; read line`]);
    const screen = await waitFor(() => (pane.screen().includes('exit ') ? pane.screen() : undefined), { message: 'owl dash --fleet did not end' });
    // The pane is 120 columns wide: the message wraps.
    expect(screen.replace(/\n/g, '')).toContain('owl: this daemon is not in a cluster: create one with owl cluster init --redis URL or join one with owl cluster join <token>');
    expect(screen).toContain('exit 2');
  });
});
