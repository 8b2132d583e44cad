import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { isAlive, readPid, runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture } from '@owl/test-support/apps';
import { firstGap, linesOnDisk, logLines } from '../helpers/log-files.ts';

const tickOf = (text: string): number => Number(/^tick (\d+)$/.exec(text)?.[1] ?? Number.NaN);

/** The highest tick in the live file right now. */
function lastTickOnDisk(live: string): number {
  const ticks = readFileSync(live, 'utf8').split('\n').map(tickOf).filter((tick) => !Number.isNaN(tick));
  return ticks.at(-1) ?? 0;
}

describe('owl logs after the daemon was down', () => {
  it('shows the lines an app wrote while the daemon was killed -9, in order, none twice', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const marker = path.join(home, 'ticker.jsonl');
    const live = path.join(home, 'logs', 'ticker', 'out.log');
    await startFixture(home, 'ticker', 'numbered-lines.mjs', ['10'], ['--env', `OWL_FIXTURE_MARKER=${marker}`]);
    await waitForMarker(marker, 'ready');
    await waitFor(async () => (await logLines(home, ['ticker', '--out'])).some((line) => tickOf(line.line) >= 5));

    const daemonPid = readPid(path.join(home, 'daemon.pid'));
    process.kill(daemonPid, 'SIGKILL');
    await waitFor(() => !isAlive(daemonPid), { message: `daemon ${daemonPid} survived SIGKILL` });
    const atKill = lastTickOnDisk(live);
    // The app goes on writing with no daemon reading.
    const whileDown = await waitFor(() => (lastTickOnDisk(live) >= atKill + 20 ? lastTickOnDisk(live) : undefined));

    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const shown = await waitFor(async () => {
      const ticks = (await logLines(home, ['ticker', '--out', '-n', '10000'])).map((line) => tickOf(line.line)).filter((tick) => !Number.isNaN(tick));
      return ticks.at(-1) !== undefined && (ticks.at(-1) as number) >= whileDown ? ticks : undefined;
    }, { message: `owl logs never showed tick ${whileDown}` });
    for (let tick = atKill + 1; tick <= whileDown; tick += 1) expect(shown).toContain(tick);
    expect(firstGap(shown.map(String), Number, shown[0] as number)).toBe(-1);

    const onDisk = linesOnDisk(live).filter((line) => line.startsWith('tick'));
    expect(firstGap(onDisk, tickOf, 1)).toBe(-1);
  });
});
