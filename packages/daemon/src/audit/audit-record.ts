import { nodeCrypto } from '@owl/rpc';
import { canonicalJson } from './canonical-json.ts';

/** The prevHash of the very first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** One line of audit.log. */
export interface AuditRecord {
  seq: number;
  at: string;
  type: string;
  app?: string;
  instance?: number;
  data: Record<string, unknown>;
  prevHash: string;
  /** sha256(prevHash + "|" + canonicalJson(record without hash)), lowercase hex. */
  hash: string;
}

export type UnsealedRecord = Omit<AuditRecord, 'hash'>;

/** Where the chain stands: the last record written (seq 0 and GENESIS_HASH before any). */
export interface ChainTail {
  seq: number;
  hash: string;
}

export function hashRecord(record: UnsealedRecord): string {
  return nodeCrypto().createHash('sha256').update(`${record.prevHash}|${canonicalJson(record)}`).digest('hex');
}

/** Adds the hash; the line written to audit.log is canonicalJson of the result. */
export function sealRecord(record: UnsealedRecord): AuditRecord {
  return { ...record, hash: hashRecord(record) };
}

/** The record without its hash field, exactly as it was hashed. */
export function unsealed(record: AuditRecord): UnsealedRecord {
  const { hash: _hash, ...rest } = record;
  return rest;
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** Parses one line; a string explains why the line is not a record. */
export function parseAuditLine(line: string): AuditRecord | string {
  if (line.trim() === '') return 'empty line';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  if (!Number.isSafeInteger(record.seq) || (record.seq as number) < 1) return 'field "seq" is not a positive whole number';
  if (typeof record.at !== 'string') return 'field "at" is not a string';
  if (typeof record.type !== 'string') return 'field "type" is not a string';
  if (typeof record.data !== 'object' || record.data === null || Array.isArray(record.data)) return 'field "data" is not an object';
  if (typeof record.prevHash !== 'string' || !HASH_PATTERN.test(record.prevHash)) return 'field "prevHash" is not a sha256 hex digest';
  if (typeof record.hash !== 'string' || !HASH_PATTERN.test(record.hash)) return 'field "hash" is not a sha256 hex digest';
  return record as unknown as AuditRecord;
}
