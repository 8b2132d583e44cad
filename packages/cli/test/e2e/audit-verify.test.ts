import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, writeLines } from '@owl/test-support/line-files';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { startFixture, waitForApp } from '@owl/test-support/apps';

/** A home whose audit.log holds a short chain: create, launch and run one app. */
async function homeWithHistory(): Promise<{ home: string; file: string }> {
  const home = tempHome();
  expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
  await startFixture(home, 'audited', 'forever.mjs');
  await waitForApp(home, 'audited', (row) => row.status === 'running');
  return { home, file: path.join(home, 'audit.log') };
}

describe('owl audit verify', () => {
  it('exits 0 on an intact chain, 1 with one line per edited, deleted or inserted record', async () => {
    const { home, file } = await homeWithHistory();
    expect((await runOwl(['daemon', 'stop', '--with-apps'], { home })).code).toBe(0);
    const original = readLines(file);
    const records = original.map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });
    expect(records.find((record) => record.type === 'operator')?.data).toEqual({ method: 'apps.create', target: 'audited', subject: 'local', plane: 'local', role: 'admin' });
    const count = original.length;

    const intact = await runOwl(['audit', 'verify'], { home });
    expect(intact).toMatchObject({ code: 0, stdout: `audit chain intact: ${count} records in 1 file (daemon not running: checked the files only)\n` });

    const edited = [...original];
    edited[2] = (edited[2] ?? '').replace('"type":"', '"type":"x');
    writeLines(file, edited);
    const afterEdit = await runOwl(['audit', 'verify'], { home });
    expect(afterEdit.code).toBe(1);
    expect(afterEdit.stdout).toMatch(/^audit\.log:3 seq 3 edited: line 3 \(seq 3\) was edited: its content hashes to [0-9a-f]{12}, the record says [0-9a-f]{12}\n$/);
    expect(afterEdit.stderr).toBe(`owl: audit chain broken: 1 problem in ${count} records\n`);

    writeLines(file, [...original.slice(0, 3), ...original.slice(4)]);
    const afterDelete = await runOwl(['audit', 'verify'], { home });
    expect(afterDelete).toMatchObject({ code: 1, stdout: 'audit.log:4 seq 5 deleted: 1 record (seq 4) deleted before line 4: its prevHash does not match line 3\n' });

    writeLines(file, [...original.slice(0, 3), original[1] ?? '', ...original.slice(3)]);
    const afterInsert = await runOwl(['audit', 'verify', '--json'], { home });
    expect(afterInsert.code).toBe(1);
    expect(JSON.parse(afterInsert.stdout)).toEqual({
      ok: false,
      records: count + 1,
      files: ['audit.log'],
      problems: [{ file: 'audit.log', line: 4, seq: 2, kind: 'inserted', message: 'line 4 (seq 2) was inserted: the chain runs from line 3 straight to line 5' }],
    });
  });

  it('asks the running daemon, which also catches a record removed from the end', async () => {
    const { home, file } = await homeWithHistory();
    // Stopped, the app adds no records while the file is being cut.
    expect((await runOwl(['stop', 'audited'], { home })).code).toBe(0);
    await waitForApp(home, 'audited', (row) => row.status === 'stopped');
    const lines = readLines(file);
    const count = lines.length;
    // Rewritten in place, as an intruder would: the daemon keeps appending to the same file.
    writeLines(file, lines.slice(0, -1));
    const result = await runOwl(['audit', 'verify', '--json'], { home });
    expect(result.code).toBe(1);
    // The daemon appended its record of this very call (seq count + 1) after the cut.
    expect(JSON.parse(result.stdout).problems).toEqual([
      { file: 'audit.log', line: count, seq: count + 1, kind: 'deleted', message: `1 record (seq ${count}) deleted before line ${count}: its prevHash does not match line ${count - 1}` },
    ]);
  });
});
