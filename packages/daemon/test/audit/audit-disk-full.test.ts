import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.ts';
import { verifyAuditFiles } from '../../src/audit/verify-audit.ts';
import type { AuditRecord } from '../../src/audit/audit-record.ts';
import { sampleEvent } from '../helpers/audit-chain.ts';
import { waitFor } from '@owl/test-support/wait-for';
import { fillFileSystem, mountSmallTmpfs } from '@owl/test-support/small-tmpfs';

describe('audit.log on a full disk', () => {
  it('cuts the torn tail of its own failed write, holds records back, and continues the chain when space returns', async (context) => {
    const mounted = mountSmallTmpfs('64k');
    if ('skip' in mounted) {
      console.warn(mounted.skip);
      return context.skip();
    }
    const file = path.join(mounted.directory, 'audit.log');
    const errors: unknown[] = [];
    let recovered = 0;
    const { audit } = await AuditLog.open({ file, onError: (error) => errors.push(error), onRecovered: () => (recovered += 1) });
    for (let index = 1; index <= 10; index += 1) audit.append(sampleEvent(index));
    await audit.flush();
    const filler = path.join(mounted.directory, 'filler');
    fillFileSystem(filler);
    // A batch bigger than the page left: part of it lands before ENOSPC, and must be cut.
    for (let index = 11; index <= 60; index += 1) audit.append({ ...sampleEvent(index), data: { padding: 'p'.repeat(200), n: index } });
    await waitFor(() => errors.length > 0, { message: 'the write never failed' });
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOSPC');
    // The file holds whole records only, even while the disk is full.
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    expect(await verifyAuditFiles(file)).toMatchObject({ ok: true, problems: [] });
    rmSync(filler);
    await waitFor(() => recovered === 1, { timeoutMs: 15_000, message: 'the audit log never wrote again' });
    await audit.close();
    const records = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as AuditRecord);
    const failure = records.find((record) => record.type === 'audit_write_failed');
    expect(failure?.data).toMatchObject({ error: expect.stringContaining('ENOSPC') });
    expect(Number(failure?.data.cutBytes)).toBeGreaterThan(0);
    // Nothing lost, nothing twice, in order: held-back records follow the failure record.
    expect(records.filter((record) => record.type === 'state').map((record) => record.data.n)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
    expect(await verifyAuditFiles(file)).toMatchObject({ ok: true, records: 61, problems: [] });
  });
});
