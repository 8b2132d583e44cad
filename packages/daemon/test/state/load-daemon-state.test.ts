import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AppSpecInputSchema } from '@owl/rpc/contract';
import { loadDaemonState } from '../../src/state/load-daemon-state.ts';

function tempFiles(): { dir: string; file: string; prevFile: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'owl-state-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, file: path.join(dir, 'state.json'), prevFile: path.join(dir, 'state.json.prev') };
}

function record(name: string, pid: number, spec: Record<string, unknown> = {}): unknown {
  return {
    spec: { ...AppSpecInputSchema.parse({ name, command: 'node' }), ...spec },
    override: null,
    instances: [{ index: 0, pid, startTime: '1', executable: '/usr/bin/node', status: 'running', restarts: 0, failures: 0, startedAt: null, lastExit: null, reason: null }],
  };
}

function writeState(file: string, apps: Record<string, unknown>): void {
  writeFileSync(file, JSON.stringify({ version: 1, apps }));
}

function collectingLog(): { warn(message: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (message) => lines.push(message) };
}

describe('loadDaemonState', () => {
  it('loads every valid record and keeps a bad one aside with its reason, pids and mode 0600', async () => {
    const { dir, file, prevFile } = tempFiles();
    // "1" and 400 zeros, once stored by an older version as null, in both generations.
    const bad = record('web', 4242, { maxMemory: null });
    writeState(file, { api: record('api', 100), web: bad, worker: record('worker', 200) });
    writeState(prevFile, { api: record('api', 100), web: bad });
    const log = collectingLog();
    const loaded = await loadDaemonState({ file, prevFile }, log);
    expect(loaded.recovery).toBe('clean');
    expect(Object.keys(loaded.value.apps).sort()).toEqual(['api', 'worker']);
    const aside = readdirSync(dir).filter((name) => name.startsWith('state.json.rejected-'));
    expect(aside).toHaveLength(1);
    const asideFile = path.join(dir, aside[0] as string);
    expect(statSync(asideFile).mode & 0o777).toBe(0o600);
    const reason = 'spec.maxMemory: expected a size like "512MB", "1G" or bytes, received null';
    expect(JSON.parse(readFileSync(asideFile, 'utf8'))).toEqual({ version: 1, records: [{ name: 'web', reason, record: bad }] });
    expect(log.lines).toEqual([`${file}: app "web" kept aside in ${asideFile}: ${reason}; its processes (pid 4242) are not supervised until it is applied again (owl ls shows them as orphans)`]);
  });

  it('takes a bad record from state.json.prev when the previous generation of it validates', async () => {
    const { file, prevFile } = tempFiles();
    writeState(file, { api: record('api', 100), web: record('web', 300, { health: { tcp: 80, interval: 0 } }) });
    writeState(prevFile, { web: record('web', 300) });
    const log = collectingLog();
    const loaded = await loadDaemonState({ file, prevFile }, log);
    expect(Object.keys(loaded.value.apps).sort()).toEqual(['api', 'web']);
    expect(loaded.value.apps.web?.instances[0]?.pid).toBe(300);
    expect(log.lines).toEqual([
      `${file}: the record of app "web" does not validate (spec.health.interval: expected a duration of at least 100 ms, received 0); using its record from ${prevFile}`,
    ]);
  });

  it('treats a file none of whose records validate as corrupt and recovers from .prev', async () => {
    const { file, prevFile } = tempFiles();
    writeState(file, { web: { spec: { name: 'web' } } });
    writeState(prevFile, { web: record('web', 300), api: record('api', 100) });
    const loaded = await loadDaemonState({ file, prevFile }, collectingLog());
    expect(loaded.recovery).toBe('prev');
    expect(Object.keys(loaded.value.apps).sort()).toEqual(['api', 'web']);
    expect(loaded.warning).toMatch(/state\.json is unreadable \(no app record validates: app "web": spec\.command: missing, expected a string; override: missing, expected an object; instances: missing, expected an array\); kept aside as .*state\.json\.corrupt-.*; recovered from .*state\.json\.prev$/);
  });

  it('refuses a record filed under another name than its own', async () => {
    const { dir, file, prevFile } = tempFiles();
    writeState(file, { api: record('api', 100), alias: record('web', 300) });
    const log = collectingLog();
    const loaded = await loadDaemonState({ file, prevFile }, log);
    expect(Object.keys(loaded.value.apps)).toEqual(['api']);
    expect(log.lines[0]).toMatch(/app "alias" kept aside in .*: recorded under "alias" but named "web"; its processes \(pid 300\)/);
    expect(readdirSync(dir).some((name) => name.startsWith('state.json.rejected-'))).toBe(true);
  });
});
