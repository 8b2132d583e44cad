import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.ts';
import { startAudit } from '../../src/audit/start-audit.ts';
import { verifyAuditFiles } from '../../src/audit/verify-audit.ts';
import { GENESIS_HASH, type AuditRecord } from '../../src/audit/audit-record.ts';
import { EventBus } from '../../src/events/event-bus.ts';
import { openDaemonLog } from '../../src/daemon-log/daemon-log.ts';
import { sampleEvent, tempAuditFile, writeChain } from '../helpers/audit-chain.ts';
import { readLines } from '@owl/test-support/line-files';

const records = (file: string): AuditRecord[] => readLines(file).map((line) => JSON.parse(line) as AuditRecord);

describe('AuditLog', () => {
  it('chains every record to the one before, starting from the genesis hash', async () => {
    const file = tempAuditFile();
    await writeChain(file, 3);
    const [first, second, third] = records(file);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, type: 'state', app: 'web', instance: 0, data: { to: 'running', n: 1 } });
    expect(second?.prevHash).toBe(first?.hash);
    expect(third?.prevHash).toBe(second?.hash);
  });

  it('continues the chain after a restart', async () => {
    const file = tempAuditFile();
    await writeChain(file, 3);
    await writeChain(file, 2);
    expect(records(file).map((record) => record.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(await verifyAuditFiles(file)).toMatchObject({ ok: true, records: 5 });
  });

  it('cuts off a torn last line at boot, reports it, and keeps the chain verifiable', async () => {
    const file = tempAuditFile();
    await writeChain(file, 3);
    const torn = '{"at":"2030-01-01T00:00:04.000Z","da';
    appendFileSync(file, torn);
    const events = new EventBus();
    const log = openDaemonLog(path.join(path.dirname(file), 'daemon.log'));
    const audit = await startAudit(file, events, log);
    events.emit({ type: 'created', app: 'next' });
    await audit.close();
    await log.close();
    const written = records(file);
    expect(written.slice(3).map((record) => [record.seq, record.type])).toEqual([
      [4, 'audit_truncated'],
      [5, 'created'],
    ]);
    expect(written[3]?.data).toEqual({
      file: 'audit.log',
      removedBytes: torn.length,
      message: `torn last line of audit.log (${torn.length} bytes, a write cut short by a crash) was truncated`,
    });
    expect(await verifyAuditFiles(file)).toMatchObject({ ok: true, records: 5, problems: [] });
  });

  it('rotates by size, keeps `keep` files, and the chain stays verifiable across them', async () => {
    const file = tempAuditFile();
    await writeChain(file, 30, { maxBytes: 1_000, keep: 2 });
    const result = await verifyAuditFiles(file);
    expect(result).toMatchObject({ ok: true, files: ['audit.log.2', 'audit.log.1', 'audit.log'], problems: [] });
    const newest = records(file);
    const previous = records(`${file}.1`);
    expect(newest[0]?.prevHash).toBe(previous.at(-1)?.hash);
    expect(newest.at(-1)?.seq).toBe(30);
    // Older generations were dropped: the oldest kept file is trusted from its first prevHash.
    expect(records(`${file}.2`)[0]?.seq).toBeGreaterThan(1);
    expect(result.records).toBe(30 - (records(`${file}.2`)[0]?.seq ?? 0) + 1);
  });

  it('finds a record deleted at a file boundary', async () => {
    const file = tempAuditFile();
    await writeChain(file, 12, { maxBytes: 1_000, keep: 3 });
    const lines = readLines(file);
    const removed = JSON.parse(lines[0] ?? '') as AuditRecord;
    writeFileSync(file, `${lines.slice(1).join('\n')}\n`);
    const previousLines = readLines(`${file}.1`).length;
    expect((await verifyAuditFiles(file)).problems).toEqual([
      {
        file: 'audit.log',
        line: 1,
        seq: removed.seq + 1,
        kind: 'deleted',
        message: `1 record (seq ${removed.seq}) deleted before line 1: its prevHash does not match line ${previousLines} of audit.log.1`,
      },
    ]);
  });

  it('drops the oldest queued events when the queue is full and records how many', async () => {
    const file = tempAuditFile();
    const { audit } = await AuditLog.open({ file, maxQueue: 2 });
    // Appends made in one go all wait for the writer: five into a queue of two drop three.
    for (let index = 1; index <= 5; index += 1) audit.append(sampleEvent(index));
    await audit.close();
    const types = records(file).map((record) => record.type);
    expect(types.filter((type) => type === 'audit_overflow')).toHaveLength(1);
    expect(records(file).find((record) => record.type === 'audit_overflow')?.data).toEqual({ dropped: 3 });
    expect(await verifyAuditFiles(file)).toMatchObject({ ok: true });
  });

  it('writes to a new file when audit.log was replaced behind its back', async () => {
    const file = tempAuditFile();
    const { audit } = await AuditLog.open({ file });
    audit.append(sampleEvent(1));
    await audit.flush();
    const content = readFileSync(file, 'utf8');
    // An editor saves by writing a new file and renaming it over the old one.
    writeFileSync(`${file}.tmp`, content);
    renameSync(`${file}.tmp`, file);
    audit.append(sampleEvent(2));
    await audit.close();
    expect(records(file).map((record) => record.seq)).toEqual([1, 2]);
  });
});
