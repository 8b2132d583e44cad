import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { listApps, waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';

async function homeWithTwoApps(): Promise<string> {
  const home = tempHome();
  expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
  for (const name of ['alpha', 'beta']) {
    expect((await runOwl(['start', '--name', name, '--', process.execPath, fixture('forever.mjs')], { home })).code).toBe(0);
    await waitForApp(home, name, (row) => row.status === 'running');
  }
  expect((await runOwl(['daemon', 'stop'], { home })).code).toBe(0);
  // Both generations hold both apps (the last writes only changed runtime facts).
  expect(Object.keys(JSON.parse(readFileSync(path.join(home, 'state.json.prev'), 'utf8')).apps).sort()).toEqual(['alpha', 'beta']);
  return home;
}

describe('state.json recovery', () => {
  it('a state.json torn mid-write is recovered from .prev, and the torn copy is kept aside', async () => {
    const home = await homeWithTwoApps();
    const stateFile = path.join(home, 'state.json');
    truncateSync(stateFile, Math.floor(readFileSync(stateFile).length / 2));
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    expect((await listApps(home)).map((row) => [row.name, row.status])).toEqual([
      ['alpha', 'running'],
      ['beta', 'running'],
    ]);
    expect(readdirSync(home).some((file) => file.startsWith('state.json.corrupt-'))).toBe(true);
    const log = readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8');
    expect(log).toMatch(/warn .*state\.json is unreadable .*; recovered from .*state\.json\.prev/);
  });

  it('garbage in state.json at boot is recovered from .prev', async () => {
    const home = await homeWithTwoApps();
    writeFileSync(path.join(home, 'state.json'), '\u0000\u0001garbage{{{');
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    expect((await listApps(home)).map((row) => row.name)).toEqual(['alpha', 'beta']);
  });

  it('valid JSON of the wrong shape is treated as corrupt too', async () => {
    const home = await homeWithTwoApps();
    writeFileSync(path.join(home, 'state.json'), JSON.stringify({ version: 1, apps: { alpha: { spec: { name: 'alpha' } } } }));
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    expect((await listApps(home)).map((row) => row.name)).toEqual(['alpha', 'beta']);
    expect(existsSync(path.join(home, 'state.json'))).toBe(true);
  });
});
