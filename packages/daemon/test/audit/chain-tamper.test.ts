import { describe, expect, it } from 'vitest';
import { verifyAuditFiles } from '../../src/audit/verify-audit.ts';
import { canonicalJson } from '../../src/audit/canonical-json.ts';
import { hashRecord, sealRecord, unsealed, type AuditRecord } from '../../src/audit/audit-record.ts';
import { tempAuditFile, writeChain } from '../helpers/audit-chain.ts';
import { readLines, writeLines } from '@owl/test-support/line-files';

const short = (hash: string): string => hash.slice(0, 12);
const parse = (line: string | undefined): AuditRecord => JSON.parse(line ?? '') as AuditRecord;

async function chainOf(count: number): Promise<{ file: string; lines: string[] }> {
  const file = tempAuditFile();
  await writeChain(file, count);
  return { file, lines: readLines(file) };
}

describe('audit chain verification', () => {
  it('accepts an untouched chain', async () => {
    const { file } = await chainOf(6);
    expect(await verifyAuditFiles(file)).toEqual({ ok: true, records: 6, files: ['audit.log'], problems: [] });
  });

  it('reports an edited record at its line', async () => {
    const { file, lines } = await chainOf(6);
    const record = parse(lines[2]);
    const edited = { ...record, data: { ...record.data, to: 'stopped' } };
    lines[2] = canonicalJson(edited);
    writeLines(file, lines);
    const result = await verifyAuditFiles(file);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      {
        file: 'audit.log',
        line: 3,
        seq: 3,
        kind: 'edited',
        message: `line 3 (seq 3) was edited: its content hashes to ${short(hashRecord(unsealed(edited)))}, the record says ${short(record.hash)}`,
      },
    ]);
  });

  it('reports an edited and re-hashed record by the link its successor expects', async () => {
    const { file, lines } = await chainOf(6);
    const record = parse(lines[2]);
    const forged = sealRecord({ ...unsealed(record), type: 'forged' });
    lines[2] = canonicalJson(forged);
    writeLines(file, lines);
    expect((await verifyAuditFiles(file)).problems).toEqual([
      {
        file: 'audit.log',
        line: 3,
        seq: 3,
        kind: 'edited',
        message: `line 3 (seq 3) was edited and re-hashed: line 4 expects hash ${short(record.hash)}, it has ${short(forged.hash)}`,
      },
    ]);
  });

  it('reports a deleted record with the missing seq', async () => {
    const { file, lines } = await chainOf(6);
    lines.splice(3, 1);
    writeLines(file, lines);
    expect((await verifyAuditFiles(file)).problems).toEqual([
      { file: 'audit.log', line: 4, seq: 5, kind: 'deleted', message: '1 record (seq 4) deleted before line 4: its prevHash does not match line 3' },
    ]);
  });

  it('reports several deleted records as one range', async () => {
    const { file, lines } = await chainOf(8);
    lines.splice(2, 3);
    writeLines(file, lines);
    expect((await verifyAuditFiles(file)).problems).toEqual([
      { file: 'audit.log', line: 3, seq: 6, kind: 'deleted', message: '3 records (seq 3-5) deleted before line 3: its prevHash does not match line 2' },
    ]);
  });

  it('reports an inserted copy of another record', async () => {
    const { file, lines } = await chainOf(6);
    lines.splice(4, 0, lines[1] ?? '');
    writeLines(file, lines);
    expect((await verifyAuditFiles(file)).problems).toEqual([
      { file: 'audit.log', line: 5, seq: 2, kind: 'inserted', message: 'line 5 (seq 2) was inserted: the chain runs from line 4 straight to line 6' },
    ]);
  });

  it('reports an inserted record whose link and hash were forged', async () => {
    const { file, lines } = await chainOf(6);
    const before = parse(lines[2]);
    const forged = sealRecord({ seq: before.seq + 1, at: before.at, type: 'operator', data: { method: 'apps.delete' }, prevHash: before.hash });
    lines.splice(3, 0, canonicalJson(forged));
    writeLines(file, lines);
    expect((await verifyAuditFiles(file)).problems).toEqual([
      { file: 'audit.log', line: 4, seq: 4, kind: 'inserted', message: 'line 4 (seq 4) was inserted: line 5 links straight to the record before it' },
    ]);
  });

  it('reports a line that is not a record, then carries on', async () => {
    const { file, lines } = await chainOf(4);
    lines[1] = '{"seq": 2, "oops"';
    writeLines(file, lines);
    expect((await verifyAuditFiles(file)).problems).toEqual([
      { file: 'audit.log', line: 2, seq: null, kind: 'malformed', message: 'line 2 is not an audit record: not valid JSON' },
    ]);
  });

  it('with the daemon tail, catches records removed from the end', async () => {
    const { file, lines } = await chainOf(6);
    const tail = parse(lines[5]);
    writeLines(file, lines.slice(0, 4));
    const result = await verifyAuditFiles(file, { expectedTail: { seq: tail.seq, hash: tail.hash } });
    expect(result.problems).toEqual([
      { file: 'audit.log', line: 5, seq: null, kind: 'deleted', message: 'records at the end were deleted: the log ends at seq 4, the daemon has written up to seq 6' },
    ]);
  });
});
