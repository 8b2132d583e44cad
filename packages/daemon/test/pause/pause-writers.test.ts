import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { pauseTreeSync } from '../../src/pause/pause-tree.ts';
import { pauseWritersSync } from '../../src/pause/pause-writers.ts';
import { posixSuspender } from '../../src/pause/process-suspender.ts';
import { parseProcStat } from '../../src/process/proc-stat.ts';
import { waitFor, waitForMarker } from '@owl/test-support/wait-for';
import { FIXTURES } from '@owl/test-support/fixtures';

function tempDir(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-pause-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** A child whose stdout is opened on `file` (append), like an app's. */
function spawnWithStdout(file: string, args: string[], marker: string): ChildProcess {
  const out = openSync(file, 'a');
  const child = spawn(process.execPath, args, { stdio: ['ignore', out, 'ignore'], env: { ...process.env, OWL_FIXTURE_MARKER: marker } });
  closeSync(out);
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  return child;
}

function allThreadsStopped(pid: number): boolean {
  return readdirSync(`/proc/${pid}/task`).every((task) => parseProcStat(pid, readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8'))?.state === 'T');
}

describe.runIf(process.platform === 'linux')('pauseWritersSync', () => {
  it('stops every thread of each process writing the file, records them first, and resumes them', async () => {
    const directory = tempDir();
    const file = path.join(directory, 'out.log');
    const marker = path.join(directory, 'marker.jsonl');
    const writer = spawnWithStdout(file, [path.join(FIXTURES, 'numbered-lines.mjs'), '5'], marker);
    await waitForMarker(marker, 'ready');
    await waitFor(() => statSync(file).size > 100);

    const recorded: number[][] = [];
    const outcome = pauseWritersSync(file, { known: [], scanned: new Set(), timeoutMs: 5_000, record: (pids) => recorded.push([...pids]) });
    if (!outcome.ok) throw new Error(outcome.reason);
    try {
      expect(outcome.paused.pids).toEqual([writer.pid]);
      expect(recorded).toEqual([[writer.pid]]);
      expect(allThreadsStopped(writer.pid as number)).toBe(true);
      const size = statSync(file).size;
      expect(readFileSync(file).length).toBe(size);
    } finally {
      outcome.paused.resume();
    }
    const sizeAtResume = statSync(file).size;
    await waitFor(() => statSync(file).size > sizeAtResume, { message: 'the writer never wrote again after resume' });
  });

  it('leaves readers of the file and writers stopped by someone else alone', async () => {
    const directory = tempDir();
    const file = path.join(directory, 'out.log');
    const marker = path.join(directory, 'marker.jsonl');
    // Holds the file open read-only, then stays alive (forever.mjs reports readiness).
    const script = `require('node:fs').openSync(${JSON.stringify(file)}, 'r'); import(${JSON.stringify(path.join(FIXTURES, 'forever.mjs'))});`;
    const reader = spawn(process.execPath, ['-e', script], { stdio: 'ignore', env: { ...process.env, OWL_FIXTURE_MARKER: marker } });
    onTestFinished(() => {
      reader.kill('SIGKILL');
    });
    const stopped = spawnWithStdout(file, [path.join(FIXTURES, 'forever.mjs')], marker);
    await waitForMarker(marker, 'ready', { where: (entry) => entry.pid === reader.pid });
    await waitForMarker(marker, 'ready', { where: (entry) => entry.pid === stopped.pid });
    process.kill(stopped.pid as number, 'SIGSTOP');
    await waitFor(() => allThreadsStopped(stopped.pid as number));

    const outcome = pauseWritersSync(file, { known: [], scanned: new Set(), timeoutMs: 5_000, record: () => undefined });
    expect(outcome.ok && outcome.paused.pids).toEqual([]);
    process.kill(stopped.pid as number, 'SIGCONT');
  });
});

// The tree walk macOS uses (and Windows, with NtSuspendProcess), run here with real signals.
describe.runIf(process.platform === 'linux')('pauseTreeSync', () => {
  it('stops the whole tree under the roots, skips a member stopped by someone else, and resumes only its own', async () => {
    const directory = tempDir();
    const marker = path.join(directory, 'marker.jsonl');
    const parent = spawnWithStdout(path.join(directory, 'out.log'), [path.join(FIXTURES, 'spawns-grandchild.mjs')], marker);
    const { childPid, grandchildPid } = (await waitForMarker(marker, 'ready', { where: (entry) => entry.pid === parent.pid })) as unknown as { childPid: number; grandchildPid: number };
    const tree = [parent.pid as number, childPid, grandchildPid];
    onTestFinished(() => {
      for (const pid of [childPid, grandchildPid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    });
    process.kill(grandchildPid, 'SIGSTOP');
    await waitFor(() => allThreadsStopped(grandchildPid));

    const recorded: number[][] = [];
    const outcome = pauseTreeSync(posixSuspender(), { roots: () => [parent.pid as number], timeoutMs: 5_000, record: (pids) => recorded.push([...pids]) });
    if (!outcome.ok) throw new Error(outcome.reason);
    try {
      expect(outcome.paused.pids).toEqual([parent.pid, childPid]);
      expect(recorded).toEqual([[parent.pid, childPid]]);
      expect(tree.every(allThreadsStopped)).toBe(true);
    } finally {
      outcome.paused.resume();
    }
    await waitFor(() => !allThreadsStopped(parent.pid as number) && !allThreadsStopped(childPid));
    expect(allThreadsStopped(grandchildPid)).toBe(true);
    process.kill(grandchildPid, 'SIGCONT');
  });
});
