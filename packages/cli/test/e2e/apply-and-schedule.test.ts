import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMarkers, waitFor } from '@owl/test-support/wait-for';
import { owlJson, runOwl, tempHome } from '@owl/test-support/owl';
import { listApps, waitForApp } from '@owl/test-support/apps';
import { fixture } from '@owl/test-support/fixtures';

function utcClock(date: Date): string {
  return `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
}

describe('owl apply', () => {
  it('creates, leaves unchanged, updates (restarting with the new env) and prunes', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const file = path.join(home, 'owl.config.json');
    const marker = (name: string): string => path.join(home, `${name}.jsonl`);
    const app = (name: string, env: Record<string, string> = {}) => ({
      name,
      command: process.execPath,
      args: [fixture('forever.mjs')],
      env: { OWL_FIXTURE_MARKER: marker(name), ...env },
    });
    writeFileSync(file, JSON.stringify({ apps: [app('one'), app('two')] }));
    expect(await owlJson(['apply', '-f', file], home)).toEqual({ created: ['one', 'two'], updated: [], unchanged: [], deleted: [] });
    const two = await waitForApp(home, 'two', (row) => row.status === 'running');

    writeFileSync(file, JSON.stringify({ apps: [app('one', { MODE: 'new' }), app('two')] }));
    expect(await owlJson(['apply', '-f', file], home)).toEqual({ created: [], updated: ['one'], unchanged: ['two'], deleted: [] });
    await waitFor(async () => (await readMarkers(marker('one'))).length === 2, { message: 'app one was not restarted once' });
    expect((await waitForApp(home, 'two', (row) => row.status === 'running')).pid).toBe(two.pid);

    writeFileSync(file, JSON.stringify({ apps: [app('one', { MODE: 'new' })] }));
    expect(await owlJson(['apply', '-f', file], home)).toEqual({ created: [], updated: [], unchanged: ['one'], deleted: [] });
    expect((await listApps(home)).map((row) => row.name)).toEqual(['one', 'two']);
    expect(await owlJson(['apply', '-f', file, '--prune'], home)).toEqual({ created: [], updated: [], unchanged: ['one'], deleted: ['two'] });
    expect((await listApps(home)).map((row) => row.name)).toEqual(['one']);
  });

  it('owl restart picks up an env changed with owl start --name', async () => {
    const home = tempHome();
    const out = path.join(home, 'env.txt');
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const script = `require('fs').appendFileSync(${JSON.stringify(out)}, process.env.GREETING + '\\n'); setInterval(() => {}, 1 << 30)`;
    expect((await runOwl(['start', '--name', 'greeter', '--env', 'GREETING=hello', '--', process.execPath, '-e', script], { home })).code).toBe(0);
    await waitFor(async () => (await import('node:fs')).existsSync(out));
    expect((await runOwl(['start', '--name', 'greeter', '--env', 'GREETING=bonjour', '--', process.execPath, '-e', script], { home })).code).toBe(0);
    const lines = await waitFor(async () => {
      const text = (await import('node:fs')).readFileSync(out, 'utf8');
      return text.split('\n').length > 2 ? text : undefined;
    });
    expect(lines).toBe('hello\nbonjour\n');
    expect((await runOwl(['restart', 'greeter'], { home })).code).toBe(0);
    await waitFor(async () => (await import('node:fs')).readFileSync(out, 'utf8') === 'hello\nbonjour\nbonjour\n');
  });
});

describe('scheduled apps', () => {
  it('operator start overrides a closed window; the app launches by itself at a real window start', async () => {
    const home = tempHome();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
    const now = new Date();
    // The window opens at a whole minute: 90 s ahead leaves at least 30 s (truncated to the
    // minute) for apply and ls to see it closed, however loaded the machine.
    const start = new Date(now.getTime() + 90_000);
    const stop = new Date(now.getTime() + 3 * 60_000);
    const schedule = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ranges: [{ start: utcClock(start), stop: utcClock(stop) }] };
    const file = path.join(home, 'owl.config.json');
    const spec = (name: string) => ({ name, command: process.execPath, args: [fixture('forever.mjs')], launch: { mode: 'scheduled', timezone: 'UTC', schedules: [schedule] } });
    writeFileSync(file, JSON.stringify({ apps: [spec('night'), spec('manual')] }));
    expect((await runOwl(['apply', '-f', file], { home })).code).toBe(0);
    const rows = await listApps(home);
    expect(rows.map((row) => [row.name, row.status])).toEqual([
      ['night', 'inactive'],
      ['manual', 'inactive'],
    ]);
    // The operator wins until the next boundary.
    expect((await runOwl(['start', 'manual'], { home })).code).toBe(0);
    expect((await waitForApp(home, 'manual', (row) => row.status === 'running')).pid).not.toBeNull();
    // At most 90 s away: the window opens and the daemon launches the app itself.
    const launched = await waitForApp(home, 'night', (row) => row.status === 'running', 120_000);
    expect(launched.pid).not.toBeNull();
  }, 150_000);
});
