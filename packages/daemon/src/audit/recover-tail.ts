import { readFile, truncate } from 'node:fs/promises';
import { rotatedAuditFile } from './audit-files.ts';
import { GENESIS_HASH, parseAuditLine, type ChainTail } from './audit-record.ts';

export interface TailRepair {
  file: string;
  /** Bytes of a torn last line (a write cut short by a crash) that were cut off. */
  removedBytes: number;
}

export interface RecoveredTail {
  tail: ChainTail;
  repair?: TailRepair;
}

const NEWLINE = 0x0a;

/**
 * Finds where the chain stands at boot: the last record of audit.log (or of audit.log.1 when
 * a crash came between rotating and the first new write). A torn last line is truncated away
 * so the next record starts on a line of its own; the chain continues from the last whole
 * record.
 */
export async function recoverAuditTail(activeFile: string): Promise<RecoveredTail> {
  for (const file of [activeFile, rotatedAuditFile(activeFile, 1)]) {
    const content = await readIfPresent(file);
    if (!content || content.length === 0) continue;
    const end = content.lastIndexOf(NEWLINE) + 1;
    const repair = end < content.length ? { file, removedBytes: content.length - end } : undefined;
    if (repair) await truncate(file, end);
    const tail = lastRecordIn(content.subarray(0, end).toString('utf8'));
    if (tail) return repair ? { tail, repair } : { tail };
    if (repair) return { tail: { seq: 0, hash: GENESIS_HASH }, repair };
  }
  return { tail: { seq: 0, hash: GENESIS_HASH } };
}

function lastRecordIn(text: string): ChainTail | undefined {
  const lines = text.split('\n');
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const parsed = parseAuditLine(lines[index] ?? '');
    if (typeof parsed !== 'string') return { seq: parsed.seq, hash: parsed.hash };
  }
  return undefined;
}

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
