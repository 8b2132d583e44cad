import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { owlJson, readPid, runOwl, tempHome } from '@owl/test-support/owl';
import { processState } from '../helpers/launched.ts';
import { waitFor } from '@owl/test-support/wait-for';

function tempDir(prefix: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

// The fault hook (SIGSTOP at a named step) exists on POSIX only, and /proc is read to see it.
describe.runIf(process.platform === 'linux')('kill -9 of the daemon during a roost switch', () => {
  it('between the pointer write and the link flip: the next daemon points the link at the recorded version', async () => {
    const home = tempHome();
    const link = path.join(tempDir('owl-roost-content-'), 'site');
    writeFileSync(path.join(home, 'config.json'), JSON.stringify({ roost: { roots: { site: link } } }));
    const source = tempDir('owl-roost-source-');
    writeFileSync(path.join(source, 'index.html'), 'one');
    // The second switch stops the daemon right after its pointer is on disk.
    expect((await runOwl(['daemon', 'start'], { home, env: { OWL_FAULT_STOP_AT: 'roost:pointer@2' } })).code).toBe(0);
    const daemonPid = readPid(path.join(home, 'daemon.pid'));
    const first = await owlJson<{ versionId: string }>(['roost', 'publish', source, '--roost', 'site'], home);

    writeFileSync(path.join(source, 'index.html'), 'two');
    const interrupted = runOwl(['roost', 'publish', source, '--roost', 'site', '--timeout', '60s'], { home });
    await waitFor(() => processState(daemonPid) === 'T', { timeoutMs: 30_000, message: 'the daemon never reached roost:pointer' });
    expect(readlinkSync(link)).toBe(path.join(home, 'roost', 'trees', 'site', first.versionId));
    process.kill(daemonPid, 'SIGKILL');
    // The publish was never acknowledged: its CLI fails (the daemon went away mid-call).
    expect((await interrupted).code).not.toBe(0);

    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const status = await owlJson<{ current: string; kept: Array<{ versionId: string }> }>(['roost', 'status', 'site'], home);
    expect(status.current).not.toBe(first.versionId);
    expect(status.kept.map((row) => row.versionId)).toEqual([status.current, first.versionId]);
    await waitFor(() => readlinkSync(link) === path.join(home, 'roost', 'trees', 'site', status.current), { message: `the link still points at ${readlinkSync(link)}` });
  });
});
