import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '@owl/rpc/contract';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture } from '@owl/test-support/apps';
import { followOwl } from '../helpers/follow-owl.ts';
import { logLines } from '../helpers/log-files.ts';

const tickOf = (text: string): number => Number(/(?:tick|tock) (\d+)$/.exec(text)?.[1] ?? Number.NaN);

async function startTicker(home: string, name: string): Promise<void> {
  const marker = path.join(home, `${name}.jsonl`);
  await startFixture(home, name, 'numbered-lines.mjs', ['20'], ['--env', `OWL_FIXTURE_MARKER=${marker}`]);
  await waitForMarker(marker, 'ready');
}

describe('owl logs', () => {
  it('shows one app, or all apps with a name prefix; --out/--err pick the stream; --json gives lines with their read time', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startTicker(home, 'alpha');
    await startTicker(home, 'beta');
    const both = await waitFor(async () => {
      const lines = await logLines(home, ['-n', '10000']);
      const apps = new Set(lines.filter((line) => line.line.startsWith('tock')).map((line) => line.app));
      return apps.size === 2 ? lines : undefined;
    }, { message: 'never saw stderr lines of both apps' });
    for (const line of both) {
      expect(Object.keys(line).sort()).toEqual(['app', 'at', 'instance', 'line', 'stream']);
      expect(line.stream).toBe(line.line.startsWith('tock') ? 'err' : 'out');
      expect(Number.isNaN(Date.parse(line.at))).toBe(false);
    }
    // Each stream of each app arrives in order.
    for (const app of ['alpha', 'beta']) {
      const ticks = both.filter((line) => line.app === app && line.line.startsWith('tick')).map((line) => tickOf(line.line));
      expect(ticks).toEqual(ticks.map((_, index) => (ticks[0] as number) + index));
    }

    const all = await runOwl(['logs', '-n', '10000'], { home });
    expect(all.code).toBe(0);
    const allLines = all.stdout.trimEnd().split('\n');
    expect(allLines.every((line) => /^(alpha|beta)\| /.test(line))).toBe(true);
    expect(allLines.some((line) => line.startsWith('alpha| tick '))).toBe(true);
    expect(allLines.some((line) => line.startsWith('beta| tock '))).toBe(true);

    const errOnly = await runOwl(['logs', 'alpha', '--err', '-n', '5'], { home });
    expect(errOnly.code).toBe(0);
    const errLines = errOnly.stdout.trimEnd().split('\n');
    expect(errLines).toHaveLength(5);
    expect(errLines.every((line) => /^tock \d+$/.test(line))).toBe(true);

    const outOnly = await logLines(home, ['beta', '--out', '-n', '3']);
    expect(outOnly).toHaveLength(3);
    expect(outOnly.every((line) => line.app === 'beta' && line.stream === 'out')).toBe(true);

    const stamped = await runOwl(['logs', 'alpha', '--out', '-n', '1', '-t'], { home });
    expect(stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z tick \d+\n$/);
  });

  it('-f prints new lines as the app writes them, human and --json, and stops on Ctrl-C', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    await startTicker(home, 'ticker');
    const before = await waitFor(async () => (await logLines(home, ['ticker', '--out'])).filter((line) => line.line.startsWith('tick')).at(-1));

    const human = followOwl(['logs', 'ticker', '--out', '-f', '-n', '0'], home);
    const seen = await human.waitForLines((lines) => lines.filter((line) => tickOf(line) > tickOf(before.line)).length >= 3, 'no new lines followed');
    const ticks = seen.map(tickOf);
    expect(ticks.every((tick) => tick > tickOf(before.line))).toBe(true);
    expect(ticks).toEqual(ticks.map((_, index) => (ticks[0] as number) + index));
    expect(await human.interrupt()).toBe(0);

    // The backlog (-n) comes first, even from an app that writes nothing more.
    await startFixture(home, 'quiet', 'forever.mjs');
    const quietPid = await waitFor(async () => (await logLines(home, ['quiet'])).find((line) => line.line.startsWith('ready '))?.line);
    const quiet = followOwl(['logs', 'quiet', '-f', '-n', '5'], home);
    expect(await quiet.waitForLines((lines) => lines.length >= 1, 'the backlog never came')).toEqual([quietPid]);
    expect(await quiet.interrupt()).toBe(0);

    const json = followOwl(['logs', 'ticker', '-f', '-n', '2', '--json'], home);
    const jsonLines = await json.waitForLines((lines) => lines.length >= 4, 'no JSON lines followed');
    const parsed = jsonLines.map((line) => JSON.parse(line) as LogLine);
    expect(parsed.every((line) => line.app === 'ticker')).toBe(true);
    expect(await json.interrupt()).toBe(0);
  });

  it('an unknown app is "not found" (exit 5); bad flags are usage errors (exit 2)', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    for (const args of [['logs', 'nope'], ['logs', 'nope', '-f']]) {
      const result = await runOwl(args, { home });
      expect(result).toEqual({ code: 5, stdout: '', stderr: 'owl: app "nope" not found\n' });
    }
    const lines = await runOwl(['logs', '-n', 'lots'], { home });
    expect(lines.code).toBe(2);
    expect(lines.stderr).toContain('-n: expected a whole number from 0 to 10000, received "lots"');
    const streams = await runOwl(['logs', '--err', '--out'], { home });
    expect(streams.code).toBe(2);
    expect(streams.stderr).toContain('--err and --out exclude each other; leave both out for both streams');
  });
});
