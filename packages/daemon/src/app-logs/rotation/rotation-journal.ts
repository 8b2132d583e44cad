import { PRIVATE_FILE_MODE } from '../../home/private-files.ts';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { journalPath } from './rotated-paths.ts';

/**
 * What a rotation in progress leaves on disk while writers are paused: `pausing` lists the
 * stopped pids; `committed` adds where the live file ended, the partial line that must
 * stay in it and `keep`; it is written once `.1.partial` is complete and flushed, before it
 * is renamed to `.1` and the live file is truncated.
 */
export type RotationJournal =
  | { phase: 'pausing'; pids: number[] }
  | { phase: 'committed'; pids: number[]; end: number; pending: string; keep: number };

export function writeJournalSync(live: string, journal: RotationJournal): void {
  writeFileSync(journalPath(live), JSON.stringify(journal), { mode: PRIVATE_FILE_MODE });
}

export function removeJournalSync(live: string): void {
  rmSync(journalPath(live), { force: true });
}

/** The journal next to `live`, or undefined when there is none (or it is unreadable). */
export function readJournalSync(live: string): RotationJournal | undefined {
  try {
    const parsed = JSON.parse(readFileSync(journalPath(live), 'utf8')) as RotationJournal;
    return Array.isArray(parsed.pids) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
