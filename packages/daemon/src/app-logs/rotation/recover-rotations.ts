import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { partialPath } from './rotated-paths.ts';
import { installPartialSync } from './commit-rotation.ts';
import { readJournalSync, removeJournalSync, type RotationJournal } from './rotation-journal.ts';
import { resumeProcesses } from '../../pause/resume-process.ts';

const JOURNAL_SUFFIX = '.rotating.json';
const PARTIAL_SUFFIX = '.1.partial';

/**
 * Finishes rotations a crashed daemon left half done. Runs at boot before any app is
 * (re)launched, while the writers that crash left paused are still paused, so the live file
 * is exactly as it was: a committed rotation is completed (`.1` installed, the live file
 * truncated to the partial line), an uncommitted one is dropped (the live file still holds
 * everything); then the paused writers continue. Returns what it did.
 */
export function recoverRotationsSync(logsDirectory: string): string[] {
  const done: string[] = [];
  for (const directory of listAppDirectories(logsDirectory)) {
    const names = readdirSync(directory);
    // Journals first: a committed rotation still needs its partial.
    for (const name of names.filter((entry) => entry.endsWith(JOURNAL_SUFFIX))) {
      done.push(recoverOne(path.join(directory, name.slice(0, -JOURNAL_SUFFIX.length))));
    }
    for (const name of names.filter((entry) => entry.endsWith(PARTIAL_SUFFIX))) rmSync(path.join(directory, name), { force: true });
  }
  return done;
}

function recoverOne(live: string): string {
  const journal = readJournalSync(live);
  let outcome = 'journal unreadable, removed';
  if (journal) {
    outcome = journal.phase === 'committed' ? finishTruncation(live, journal) : 'rotation had not committed, live file left as is';
    resumeProcesses(journal.pids);
  }
  rmSync(partialPath(live), { force: true });
  removeJournalSync(live);
  return `${live}: ${outcome}`;
}

function finishTruncation(live: string, journal: Extract<RotationJournal, { phase: 'committed' }>): string {
  const pending = Buffer.from(journal.pending, 'base64');
  if (journal.keep > 0 && existsSync(partialPath(live))) installPartialSync(live, journal.keep);
  let descriptor: number;
  try {
    descriptor = openSync(live, 'r+');
  } catch {
    return 'live file missing';
  }
  try {
    const size = fstatSync(descriptor).size;
    if (size === pending.length) return 'rotation was complete';
    if (size !== journal.end && size !== 0) return `live file has ${size} bytes, expected ${journal.end} or 0; left as is`;
    ftruncateSync(descriptor, 0);
    writeSync(descriptor, pending, 0, pending.length, 0);
    return 'truncation finished';
  } finally {
    closeSync(descriptor);
  }
}


function listAppDirectories(logsDirectory: string): string[] {
  try {
    return readdirSync(logsDirectory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(logsDirectory, entry.name));
  } catch {
    return [];
  }
}
