import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { applyLaunchJournal, LaunchJournal, readLaunchJournal, type LaunchEntry } from '../../src/state/launch-journal.ts';
import { newInstanceRecord, type DaemonState } from '../../src/state/daemon-state.ts';

function tempDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-launches-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

async function openJournal(file: string): Promise<LaunchJournal> {
  const journal = await LaunchJournal.open(file);
  onTestFinished(() => journal.close());
  return journal;
}

function entry(app: string, instance: number, n: number): LaunchEntry {
  return { app, instance, launchId: n.toString(16).padStart(16, '0') };
}

function stateWith(apps: Record<string, number>): DaemonState {
  const state: DaemonState = { version: 1, apps: {} };
  for (const [name, instances] of Object.entries(apps)) {
    const spec = { name } as DaemonState['apps'][string]['spec'];
    state.apps[name] = { spec, override: null, instances: Array.from({ length: instances }, (_, index) => newInstanceRecord(index, 'running')) };
  }
  return state;
}

describe('LaunchJournal', () => {
  it('an append is in the file when it resolves; appends made together land in order', async () => {
    const file = path.join(tempDirectory(), 'launches.jsonl');
    const journal = await openJournal(file);
    await journal.append(entry('web', 0, 1));
    expect(await readLaunchJournal(file)).toEqual([entry('web', 0, 1)]);
    const together = Array.from({ length: 20 }, (_, n) => entry('web', n % 3, n + 2));
    await Promise.all(together.map((launch) => journal.append(launch)));
    expect(await readLaunchJournal(file)).toEqual([entry('web', 0, 1), ...together]);
    expect(journal.bytes).toBe(statSync(file).size);
    // Owner only, like everything the daemon writes in OWL_HOME.
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a burst of appends made in separate turns (an apply): each is in the file when it resolves, all in order', async () => {
    const file = path.join(tempDirectory(), 'launches.jsonl');
    const journal = await openJournal(file);
    const burst = Array.from({ length: 30 }, (_, n) => entry(`app-${n}`, 0, n + 1));
    const landed: Array<Promise<void>> = [];
    for (const launch of burst) {
      // Each launch in a turn of its own, as an apply's launches come: after the first, they go through the thread pool.
      await new Promise<void>((resolve) => setImmediate(resolve));
      landed.push(
        journal.append(launch).then(async () => {
          expect(await readLaunchJournal(file)).toContainEqual(launch);
        }),
      );
    }
    await Promise.all(landed);
    expect(await readLaunchJournal(file)).toEqual(burst);
  });

  it('an append that cannot be written rejects; a later one lands once the file can be written', async () => {
    const directory = path.join(tempDirectory(), 'not-yet');
    const file = path.join(directory, 'launches.jsonl');
    const journal = await openJournal(file);
    await expect(journal.append(entry('web', 0, 1))).rejects.toMatchObject({ code: 'ENOENT' });
    mkdirSync(directory);
    await journal.append(entry('web', 0, 2));
    expect(await readLaunchJournal(file)).toEqual([entry('web', 0, 2)]);
  });

  it('compact empties the journal once the saved state holds every launch', async () => {
    const file = path.join(tempDirectory(), 'launches.jsonl');
    const journal = await openJournal(file);
    await journal.append(entry('web', 0, 1));
    let saved = 0;
    await journal.compact(async () => {
      saved += 1;
    });
    expect(saved).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(journal.bytes).toBe(0);
    await journal.append(entry('web', 0, 2));
    expect(await readLaunchJournal(file)).toEqual([entry('web', 0, 2)]);
  });

  it('compact keeps the journal when a launch was appended while the state was being saved', async () => {
    const file = path.join(tempDirectory(), 'launches.jsonl');
    const journal = await openJournal(file);
    await journal.append(entry('web', 0, 1));
    // The save's snapshot was taken before this launch: emptying the journal would lose it.
    await journal.compact(() => journal.append(entry('web', 0, 2)));
    expect(await readLaunchJournal(file)).toEqual([entry('web', 0, 1), entry('web', 0, 2)]);
  });

  it('an append made while the file is being closed waits its turn and lands after it (the file is opened again)', async () => {
    const file = path.join(tempDirectory(), 'launches.jsonl');
    const journal = await openJournal(file);
    await journal.append(entry('web', 0, 1));
    const closing = journal.close();
    const appending = journal.append(entry('web', 0, 2));
    await closing;
    await appending;
    expect(await readLaunchJournal(file)).toEqual([entry('web', 0, 1), entry('web', 0, 2)]);
    expect(journal.bytes).toBe(statSync(file).size);
  });

  it('idle waits for the appends in flight', async () => {
    const file = path.join(tempDirectory(), 'launches.jsonl');
    const journal = await openJournal(file);
    let appended = false;
    void journal.append(entry('web', 0, 1)).then(() => (appended = true));
    await journal.idle();
    expect(appended).toBe(true);
    expect(await readLaunchJournal(file)).toEqual([entry('web', 0, 1)]);
  });
});

describe('readLaunchJournal', () => {
  it('skips a torn last line and anything that is not a whole entry', async () => {
    const file = path.join(tempDirectory(), 'launches.jsonl');
    const good = entry('web', 1, 7);
    const lines = [
      JSON.stringify(good),
      '{"app":"web","instance":0,"launchId":"00000000000000zz"}',
      '{"app":"../x","instance":0,"launchId":"0000000000000001"}',
      '{"app":"web","instance":-1,"launchId":"0000000000000001"}',
      'not json',
      '',
      '{"app":"web","instance":0,"lau',
    ];
    writeFileSync(file, lines.join('\n'));
    expect(await readLaunchJournal(file)).toEqual([good]);
  });

  it('is empty when there is no journal', async () => {
    expect(await readLaunchJournal(path.join(tempDirectory(), 'missing.jsonl'))).toEqual([]);
  });
});

describe('applyLaunchJournal', () => {
  it('gives each instance its newest journaled launch id (its previous pid is gone) and ignores apps and instances the state does not hold', () => {
    const state = stateWith({ web: 2, api: 1 });
    for (const record of [...(state.apps.web?.instances ?? []), ...(state.apps.api?.instances ?? [])]) Object.assign(record, { pid: 4242, startTime: '1@x' });
    Object.assign(state.apps.web?.instances[1] ?? {}, { launchId: entry('', 0, 2).launchId });
    const changed = applyLaunchJournal(state, [entry('web', 0, 1), entry('web', 1, 2), entry('web', 0, 3), entry('gone', 0, 4), entry('api', 5, 5), entry('constructor', 0, 6)]);
    // web#1's newest entry is the launch the state already holds: its pid stays.
    expect(changed).toBe(1);
    expect(state.apps.web?.instances.map((instance) => [instance.launchId, instance.pid, instance.startTime])).toEqual([
      [entry('', 0, 3).launchId, null, null],
      [entry('', 0, 2).launchId, 4242, '1@x'],
    ]);
    expect(state.apps.api?.instances[0]).toMatchObject({ launchId: null, pid: 4242 });
    expect(Object.keys(state.apps)).toEqual(['web', 'api']);
  });
});
