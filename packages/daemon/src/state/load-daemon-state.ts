import { writeFileAtomic } from './atomic-write.ts';
import { loadStateFile, type LoadedState, type StateFileOptions } from './state-file.ts';
import { emptyState, type DaemonState } from './daemon-state.ts';
import { parseStateRecords, readPreviousRecords, recordedPids, type RejectedRecord } from './state-records.ts';

export interface StateLog {
  warn(message: string): void;
}

/**
 * Loads state.json record by record. A record that does not validate is replaced by its
 * version in state.json.prev when that one validates; otherwise it is written aside to
 * `state.json.rejected-<time>` with its reason, and the other apps load as usual.
 */
export async function loadDaemonState(files: { file: string; prevFile: string }, log: StateLog): Promise<LoadedState<DaemonState>> {
  let rejected: RejectedRecord[] = [];
  const options: StateFileOptions<DaemonState> = {
    ...files,
    parse: (value) => {
      const parsed = parseStateRecords(value);
      rejected = parsed.rejected;
      return parsed.state;
    },
    empty: emptyState,
  };
  const loaded = await loadStateFile(options);
  if (rejected.length === 0) return loaded;
  const previous = loaded.recovery === 'clean' ? await readPreviousRecords(files.prevFile) : {};
  const keptAside: RejectedRecord[] = [];
  for (const entry of rejected) {
    const fallback = previous[entry.name];
    if (fallback) {
      loaded.value.apps[entry.name] = fallback;
      log.warn(`${files.file}: the record of app "${entry.name}" does not validate (${entry.reason}); using its record from ${files.prevFile}`);
    } else {
      keptAside.push(entry);
    }
  }
  if (keptAside.length > 0) await keepAside(files.file, keptAside, log);
  return loaded;
}

async function keepAside(file: string, records: RejectedRecord[], log: StateLog): Promise<void> {
  const aside = `${file}.rejected-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await writeFileAtomic(aside, `${JSON.stringify({ version: 1, records }, null, 2)}\n`);
  for (const entry of records) {
    const pids = recordedPids(entry.record);
    const running = pids.length > 0 ? `; its processes (pid ${pids.join(', ')}) are not supervised until it is applied again (owl ls shows them as orphans)` : '';
    log.warn(`${file}: app "${entry.name}" kept aside in ${aside}: ${entry.reason}${running}`);
  }
}
