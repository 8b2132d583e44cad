import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import type { OwlEvent } from '@owl/rpc/contract';
import { AuditLog, type AuditLogOptions } from '../../src/audit/audit-log.ts';

/** A temp directory holding audit.log, removed when the test ends. */
export function tempAuditFile(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-audit-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return path.join(directory, 'audit.log');
}

export function sampleEvent(index: number): OwlEvent {
  return { seq: index, at: `2030-01-01T00:00:${String(index % 60).padStart(2, '0')}.000Z`, type: 'state', app: 'web', instance: 0, data: { to: 'running', n: index } };
}

/** Appends `count` sample events through a real AuditLog and closes it. */
export async function writeChain(file: string, count: number, options: Omit<AuditLogOptions, 'file'> = {}): Promise<void> {
  const { audit } = await AuditLog.open({ ...options, file });
  for (let index = 1; index <= count; index += 1) audit.append(sampleEvent(index));
  await audit.close();
}
