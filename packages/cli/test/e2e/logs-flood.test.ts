import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture } from '@owl/test-support/apps';
import type { LogLine } from '@owl/rpc/contract';
import { firstGap, linesOnDisk, logLines, rotatedFiles } from '../helpers/log-files.ts';
import { followOwl } from '../helpers/follow-owl.ts';

// The daemon's per-stream ring (DEFAULT_LOG_LIMITS.ringLines).
const RING_LINES = 2_000;
const numberOf = (line: string): number => Number(line.slice(0, 7));

describe('owl logs under a flood', () => {
  it('keeps every line exactly once, in order, across rotations made while the app writes; the ring stays bounded', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const marker = path.join(home, 'flood.jsonl');
    const live = path.join(home, 'logs', 'flood', 'out.log');
    // The fixture writes until the second rotated file exists, so two rotations happen while it writes.
    await startFixture(home, 'flood', 'flood-lines.mjs', ['5000', `${live}.2`], [
      '--log-max-size', '64KB', '--log-keep', '100', '--env', `OWL_FIXTURE_MARKER=${marker}`,
    ]);
    const done = await waitForMarker(marker, 'done', { timeoutMs: 60_000 });
    // If the second rotation never came, what the daemon said about rotating tells why.
    const rotationLog = (): string => readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8').split('\n').filter((line) => line.includes('logs:')).join('\n');
    expect(done.reached, rotationLog()).toBe(true);
    const count = done.count as number;

    // The daemon has read it all once its ring ends with the last line.
    const ring = await waitFor(async () => {
      const lines = await logLines(home, ['flood', '-n', '10000', '--out']);
      return lines.at(-1)?.line.startsWith(String(count).padStart(7, '0')) ? lines : undefined;
    }, { timeoutMs: 30_000, message: `the daemon never read line ${count}` });

    expect(rotatedFiles(live).length).toBeGreaterThanOrEqual(2);
    const onDisk = linesOnDisk(live);
    expect(firstGap(onDisk, numberOf, 1)).toBe(-1);
    expect(onDisk).toHaveLength(count);
    // Nothing half-done is left next to the logs.
    expect(readdirSync(path.dirname(live)).filter((name) => name.includes('partial') || name.includes('rotating'))).toEqual([]);

    expect(ring.length).toBeLessThanOrEqual(RING_LINES);
    expect(ring.length).toBeLessThan(count);
    expect(firstGap(ring.map((entry) => entry.line), numberOf, count - ring.length + 1)).toBe(-1);
    expect(existsSync(live)).toBe(true);
  });

  it('a follower attached before the app starts gets every line of its flood exactly once, in order, while the log rotates', { timeout: 180_000 }, async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    // A quiet app's ready line is the backlog: once the follower prints it, it is subscribed.
    await startFixture(home, 'quiet', 'forever.mjs');
    await waitFor(async () => (await logLines(home, ['quiet'])).find((line) => line.line.startsWith('ready ')));
    const follower = followOwl(['logs', '-f', '--out', '--json', '-n', '1'], home);
    await follower.waitForLines((lines) => lines.length >= 1, 'the follower never printed its backlog');
    const marker = path.join(home, 'flood.jsonl');
    const live = path.join(home, 'logs', 'flood', 'out.log');
    // A fixed flood (30,000 + 2,000 lines, ~1.8 MB): a slow machine cannot make it outgrow what
    // the daemon queues for one subscriber, as a flood that waits for rotations could.
    await startFixture(home, 'flood', 'flood-lines.mjs', ['30000'], ['--log-max-size', '64KB', '--log-keep', '100', '--env', `OWL_FIXTURE_MARKER=${marker}`]);
    const done = await waitForMarker(marker, 'done', { timeoutMs: 60_000 });
    const count = done.count as number;
    const followed = (): string[] => follower.lines().map((text) => JSON.parse(text) as LogLine).filter((line) => line.app === 'flood').map((line) => line.line);
    const lines = await waitFor(() => (followed().length >= count ? followed() : undefined), { timeoutMs: 60_000, message: `the follower never got all ${count} lines` });
    expect(lines).toHaveLength(count);
    expect(firstGap(lines, numberOf, 1)).toBe(-1);
    await waitFor(() => rotatedFiles(live).length > 0, { message: 'the log never rotated' });
    expect(linesOnDisk(live)).toHaveLength(count);
    expect(await follower.interrupt()).toBe(0);
  });
});
