import { readFile } from 'node:fs/promises';
import { OwlError } from '@owl/rpc';
import { describeZodError, ZOD_PARSE_OPTIONS } from '@owl/rpc/server';
import { AppRecordSchema, StateEnvelopeSchema, type AppRecord, type DaemonState } from './daemon-state.ts';

/** An app record of state.json that does not validate, with why. */
export interface RejectedRecord {
  name: string;
  reason: string;
  record: unknown;
}

export interface ParsedState {
  state: DaemonState;
  rejected: RejectedRecord[];
}

/**
 * state.json is a boundary too, validated record by record: one app whose record does not
 * validate (a value a newer bound refuses, a hand edit) must not cost the others. Throws
 * when the file is unusable as a whole: a wrong envelope, or records none of which validate
 * (`requireValid`), which is a corrupt file rather than one bad app.
 */
export function parseStateRecords(value: unknown, requireValid: boolean = true): ParsedState {
  const envelope = StateEnvelopeSchema.safeParse(value, ZOD_PARSE_OPTIONS);
  if (!envelope.success) throw new OwlError('OWL_CONFIG_INVALID', `not an owl state file: ${describeZodError(envelope.error)}`);
  const state: DaemonState = { version: 1, apps: {}, roosts: envelope.data.roosts };
  const rejected: RejectedRecord[] = [];
  for (const [name, record] of Object.entries(envelope.data.apps)) {
    const parsed = AppRecordSchema.safeParse(record, ZOD_PARSE_OPTIONS);
    if (!parsed.success) rejected.push({ name, reason: describeZodError(parsed.error), record });
    else if (parsed.data.spec.name !== name) rejected.push({ name, reason: `recorded under "${name}" but named "${parsed.data.spec.name}"`, record });
    else state.apps[name] = parsed.data as AppRecord;
  }
  if (requireValid && rejected.length > 0 && Object.keys(state.apps).length === 0) {
    throw new OwlError('OWL_CONFIG_INVALID', `no app record validates: ${rejected.map((entry) => `app "${entry.name}": ${entry.reason}`).join('; ')}`);
  }
  return { state, rejected };
}

/** The valid records of the previous generation, by name; empty when it is missing or unusable. */
export async function readPreviousRecords(prevFile: string): Promise<Record<string, AppRecord>> {
  try {
    return parseStateRecords(JSON.parse(await readFile(prevFile, 'utf8')), false).state.apps;
  } catch {
    return {};
  }
}

/** Pids a rejected record says were running: they keep running, unsupervised, until the app is applied again. */
export function recordedPids(record: unknown): number[] {
  const instances = (record as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(instances)) return [];
  return instances.map((instance) => (instance as { pid?: unknown } | null)?.pid).filter((pid): pid is number => Number.isSafeInteger(pid) && (pid as number) > 0);
}
