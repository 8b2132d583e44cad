import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AuditVerifyResult } from '@owl/rpc/contract';
import { listAuditFiles } from './audit-files.ts';
import type { ChainTail } from './audit-record.ts';
import { ChainVerifier } from './chain-verifier.ts';

export interface VerifyAuditOptions {
  /** The last record the running daemon wrote: lets the check see records removed from the end. */
  expectedTail?: ChainTail;
}

/** Lines checked between two yields, so a daemon verifying 60 MB keeps supervising. */
const LINES_PER_SLICE = 1_000;

/**
 * Verifies the hash chain across audit.log and its rotated files, oldest first. The oldest
 * kept file is trusted from its first record's prevHash (older files were rotated away).
 *
 * @example
 * const result = await verifyAuditFiles('/var/lib/owl/audit.log');
 * if (!result.ok) for (const problem of result.problems) console.log(problem.message);
 */
export async function verifyAuditFiles(activeFile: string, options: VerifyAuditOptions = {}): Promise<AuditVerifyResult> {
  const files = await listAuditFiles(activeFile);
  const verifier = new ChainVerifier(options.expectedTail);
  const checked: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // Rotated away between listing and reading.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const name = path.basename(file);
    checked.push(name);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (let index = 0; index < lines.length; index += 1) {
      verifier.push({ file: name, line: index + 1, text: lines[index] ?? '' });
      if (index % LINES_PER_SLICE === LINES_PER_SLICE - 1) await yieldToEventLoop();
    }
  }
  return verifier.finish(checked);
}
