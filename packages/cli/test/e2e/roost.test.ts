import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { OwlError, RpcClient } from '@owl/rpc';
import type { RoostVersionBody } from '@owl/rpc/contract';
import { owlJson, runOwl, tempHome } from '@owl/test-support/owl';
import { waitFor } from '@owl/test-support/wait-for';
import { createToken, owlOk, tcpPlaneOf } from '@owl/test-support/tcp';
import { appRow, waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';

interface Published {
  versionId: string;
  previous: string | null;
  files: number;
  chunks: number;
  uploaded: number;
}
interface Status {
  current: string | null;
  files: number;
  bytes: number;
  kept: Array<{ versionId: string; current: boolean }>;
}

function tempDir(prefix: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** A home whose config.json allows roost "site" at `<content>/site`, and a source folder of a 2 MiB file and a small one. */
function roostSetup(extraConfig: Record<string, unknown> = {}): { home: string; link: string; source: string } {
  const home = tempHome();
  const content = tempDir('owl-roost-content-');
  const link = path.join(content, 'site');
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ ...extraConfig, roost: { roots: { site: link, elsewhere: path.join(content, 'missing-folder', 'x') } } }));
  const source = tempDir('owl-roost-source-');
  mkdirSync(path.join(source, 'assets'));
  writeFileSync(path.join(source, 'assets', 'big.bin'), randomBytes(2 * 1024 * 1024));
  writeFileSync(path.join(source, 'index.html'), '<h1>one</h1>\n');
  return { home, link, source };
}

const auditRecords = (home: string): Array<{ type: string; data: Record<string, unknown> }> =>
  readFileSync(path.join(home, 'audit.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });

describe('owl roost', () => {
  it('publishes, sends only changed chunks, switches at once, rolls back, and keeps the pointer over a restart', async () => {
    const { home, link, source } = roostSetup();
    await owlOk(['daemon', 'start'], { home });

    const first = await owlJson<Published>(['roost', 'publish', source, '--roost', 'site'], home);
    expect(first).toMatchObject({ files: 2, previous: null, uploaded: first.chunks });
    // At least 2 MiB / 256 KiB (the largest chunk) for the big file, plus the small one.
    expect(first.chunks).toBeGreaterThanOrEqual(9);
    expect(readFileSync(path.join(link, 'index.html'), 'utf8')).toBe('<h1>one</h1>\n');

    writeFileSync(path.join(source, 'index.html'), '<h1>two</h1>\n');
    const second = await owlJson<Published>(['roost', 'publish', source, '--roost', 'site'], home);
    // Only the changed small file's one chunk travels; the 2 MiB file's chunks are already there.
    expect(second).toMatchObject({ previous: first.versionId, uploaded: 1, chunks: first.chunks });
    expect(readFileSync(path.join(link, 'index.html'), 'utf8')).toBe('<h1>two</h1>\n');
    expect(readlinkSync(link)).toBe(path.join(home, 'roost', 'trees', 'site', second.versionId));

    const status = await owlJson<Status>(['roost', 'status', 'site'], home);
    expect(status).toMatchObject({ current: second.versionId, files: 2, bytes: 2 * 1024 * 1024 + 13 });
    expect(status.kept.map((row) => [row.versionId, row.current])).toEqual([[second.versionId, true], [first.versionId, false]]);

    const rolledBack = await owlJson<{ versionId: string; previous: string }>(['roost', 'rollback', 'site'], home);
    expect(rolledBack).toMatchObject({ versionId: first.versionId, previous: second.versionId });
    expect(readFileSync(path.join(link, 'index.html'), 'utf8')).toBe('<h1>one</h1>\n');

    // A crash between the pointer's write and the link's flip leaves the link behind: the next daemon mends it at boot.
    await owlOk(['daemon', 'stop'], { home });
    const firstTree = path.join(home, 'roost', 'trees', 'site', first.versionId);
    const secondTree = path.join(home, 'roost', 'trees', 'site', second.versionId);
    rmSync(link);
    symlinkSync(secondTree, link);
    await owlOk(['daemon', 'start'], { home });
    await waitFor(() => readlinkSync(link) === firstTree, { message: `the link still points at ${readlinkSync(link)}, not ${firstTree}` });
    expect((await owlJson<Status>(['roost', 'status', 'site'], home)).current).toBe(first.versionId);
    const forward = await owlJson<{ versionId: string }>(['roost', 'rollback', 'site', '--to', second.versionId.slice(0, 8)], home);
    expect(forward.versionId).toBe(second.versionId);
    expect(readFileSync(path.join(link, 'index.html'), 'utf8')).toBe('<h1>two</h1>\n');

    const records = auditRecords(home);
    expect(records.find((record) => record.type === 'operator' && record.data.method === 'roost.commit')?.data).toMatchObject({ target: 'site', role: 'admin' });
    const types = records.map((record) => record.type);
    expect(types.filter((type) => type === 'roost_published')).toHaveLength(2);
    expect(types.filter((type) => type === 'roost_switched')).toHaveLength(2);
    expect(types.filter((type) => type === 'roost_rolled_back')).toHaveLength(2);
  });

  it('refuses hostile paths, unknown roosts and unsafe roots with a clear error, and the daemon lives on', async () => {
    const { home, link, source } = roostSetup();
    await owlOk(['daemon', 'start'], { home });
    const client = await RpcClient.connect({ kind: 'local', home });
    onTestFinished(() => client.close());
    const chunk = { hash: 'a'.repeat(64), size: 1 };
    const hostile = ['../escape', '/etc/passwd', 'a/../../x', 'CON', 'aux.txt', 'file.txt:stream', 'trailing.', 'trailing ', 'back\\slash'];
    for (const filePath of hostile) {
      const body: RoostVersionBody = { schemaVersion: 1, mediaType: 'application/vnd.owl.roost.version.v1+json', config: {}, files: [{ path: filePath, size: 1, mode: 0o644, chunks: [chunk] }] };
      const refused = await client.call('roost.prepare', { roost: 'site', body }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OwlError);
      expect((refused as OwlError).code).toBe('OWL_INVALID_PARAMS');
      expect((refused as OwlError).message).toContain(`roost path ${JSON.stringify(filePath)} refused: `);
    }
    const collision: RoostVersionBody = { schemaVersion: 1, mediaType: 'application/vnd.owl.roost.version.v1+json', config: {}, files: ['Index.html', 'index.html'].map((filePath) => ({ path: filePath, size: 1, mode: 0o644, chunks: [chunk] })) };
    await expect(client.call('roost.prepare', { roost: 'site', body: collision })).rejects.toThrow('roost path "index.html" refused: collides with "Index.html" on a case-insensitive file system');

    // A chunk whose bytes do not match its name, and a commit of a version never prepared.
    await expect(client.call('roost.upload', { chunks: [{ hash: 'a'.repeat(64), data: Buffer.from('not a').toString('base64') }] })).rejects.toThrow(`chunk ${'a'.repeat(64)} refused: its 5 bytes hash to `);
    await expect(client.call('roost.commit', { roost: 'site', versionId: 'b'.repeat(64) })).rejects.toThrow(`roost version ${'b'.repeat(64)} is not known to this daemon (publish it first)`);

    // A folder holding a name Windows cannot store is refused by the daemon before any chunk travels.
    writeFileSync(path.join(source, 'bad:name'), 'x');
    const fromFolder = await runOwl(['roost', 'publish', source, '--roost', 'site'], { home });
    expect(fromFolder).toMatchObject({ code: 2, stderr: 'owl: roost path "bad:name" refused: ":" (alternate data stream) is not allowed\n' });
    rmSync(path.join(source, 'bad:name'));

    const unknown = await runOwl(['roost', 'publish', source, '--roost', 'nowhere'], { home });
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('roost "nowhere" has no root in');

    const missingParent = await runOwl(['roost', 'publish', source, '--roost', 'elsewhere'], { home });
    expect(missingParent.code).toBe(2);
    expect(missingParent.stderr).toContain('cannot be resolved: ENOENT');

    // A real folder at the root is never replaced.
    mkdirSync(link);
    const occupied = await runOwl(['roost', 'publish', source, '--roost', 'site'], { home });
    expect(occupied).toMatchObject({ code: 2, stderr: `owl: roost "site": ${link} exists and is not owl's link; move it away or choose another root\n` });
    rmSync(link, { recursive: true });

    // A symlink among the root's ancestors is refused after realpath resolution.
    const real = tempDir('owl-roost-real-');
    const viaLink = path.join(tempDir('owl-roost-via-'), 'hop');
    symlinkSync(real, viaLink);
    writeFileSync(path.join(home, 'config.json'), JSON.stringify({ roost: { roots: { site: path.join(viaLink, 'site') } } }));
    const throughLink = await runOwl(['roost', 'publish', source, '--roost', 'site'], { home });
    expect(throughLink.code).toBe(2);
    expect(throughLink.stderr).toContain(`${viaLink} resolves to ${real}: a symlink or junction in an ancestor is not allowed`);

    expect((await runOwl(['ping'], { home })).code).toBe(0);
    expect((await owlJson<Status>(['roost', 'status', 'site'], home)).current).toBeNull();
  });

  it('publishes through the TCP plane with an operator token; a viewer may read but not publish', async () => {
    const { home, link, source } = roostSetup({ planes: { tcp: { host: '127.0.0.1', port: 0 } } });
    await owlOk(['daemon', 'start'], { home });
    const plane = await tcpPlaneOf(home);
    const url = `ws://${plane.address}`;
    const operator = await createToken(home, 'operator');
    const viewer = await createToken(home, 'viewer');
    const asViewer = await runOwl(['roost', 'publish', source, '--roost', 'site'], { env: { OWL_URL: url, OWL_TOKEN: viewer.token } });
    expect(asViewer.code).toBe(4);
    const published = await runOwl(['roost', 'publish', source, '--roost', 'site', '--json'], { env: { OWL_URL: url, OWL_TOKEN: operator.token } });
    expect(published.code).toBe(0);
    const { versionId } = JSON.parse(published.stdout) as Published;
    expect(readFileSync(path.join(link, 'index.html'), 'utf8')).toBe('<h1>one</h1>\n');
    const status = await runOwl(['roost', 'status', 'site', '--json'], { env: { OWL_URL: url, OWL_TOKEN: viewer.token } });
    expect((JSON.parse(status.stdout) as Status).current).toBe(versionId);
  });

  it('restarts the running apps bound to the roost after a publish and a rollback, and no others', async () => {
    const { home, source } = roostSetup();
    await owlOk(['daemon', 'start'], { home });
    const config = path.join(tempDir('owl-roost-apps-'), 'owl.config.json');
    const app = (name: string, roost?: string): Record<string, unknown> => ({ name, command: process.execPath, args: [fixture('forever.mjs')], ...(roost ? { roost } : {}) });
    writeFileSync(config, JSON.stringify({ apps: [app('bound', 'site'), app('unbound')] }));
    await owlOk(['apply', '-f', config], { home });
    const pidOf = async (name: string): Promise<number> => (await waitForApp(home, name, (row) => row.status === 'running' && row.pid !== null)).pid as number;
    const [boundPid, unboundPid] = [await pidOf('bound'), await pidOf('unbound')];

    const published = await owlJson<{ restarted: string[] }>(['roost', 'publish', source, '--roost', 'site'], home);
    expect(published.restarted).toEqual(['bound']);
    const republishedPid = await pidOf('bound');
    expect(republishedPid).not.toBe(boundPid);
    expect((await appRow(home, 'unbound'))?.pid).toBe(unboundPid);

    writeFileSync(path.join(source, 'index.html'), 'two');
    await owlJson(['roost', 'publish', source, '--roost', 'site'], home);
    const rolledBack = await owlJson<{ restarted: string[] }>(['roost', 'rollback', 'site'], home);
    expect(rolledBack.restarted).toEqual(['bound']);
    expect((await appRow(home, 'unbound'))?.pid).toBe(unboundPid);
  });
});
