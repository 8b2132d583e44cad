import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { appNameFrom, interpreterFor, resolveScriptLaunch } from '../../src/start/script-launch.ts';

function directory(): string {
  const created = mkdtempSync(path.join(tmpdir(), 'owl-script-launch-'));
  onTestFinished(() => rmSync(created, { recursive: true, force: true }));
  return created;
}

describe('interpreterFor', () => {
  it('picks what PM2 users expect per extension and platform', () => {
    expect(interpreterFor('a.mjs', 'linux')).toEqual([process.execPath]);
    expect(interpreterFor('a.py', 'linux')).toEqual(['python3']);
    expect(interpreterFor('a.py', 'win32')).toEqual(['py']);
    expect(interpreterFor('a.sh', 'linux')).toEqual(['sh']);
    expect(interpreterFor('a.PS1', 'win32')).toEqual(['powershell.exe', '-NoProfile', '-ExecutionPolicy', 'Bypass', '-File']);
    expect(interpreterFor('a.ps1', 'linux')).toEqual(['pwsh', '-NoProfile', '-File']);
    expect(interpreterFor('a.cmd', 'win32')).toEqual(['cmd.exe', '/d', '/c']);
    expect(interpreterFor('a.exe', 'win32')).toBeNull();
  });
});

describe('appNameFrom', () => {
  it('takes the base name without extension, made a valid app name', () => {
    expect(appNameFrom('./api/server.js')).toBe('server');
    expect(appNameFrom('my job!.py')).toBe('my-job-');
    expect(appNameFrom('.js')).toBe('.js');
  });
});

describe('resolveScriptLaunch', () => {
  it('resolves files against cwd, commands against PATH, and neither to null', async () => {
    const cwd = directory();
    writeFileSync(path.join(cwd, 'job.py'), 'print(1)\n');
    const bin = path.join(cwd, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'tool'), '#!/bin/sh\n');
    chmodSync(path.join(bin, 'tool'), 0o755);
    writeFileSync(path.join(bin, 'plain'), 'not executable\n');
    const env = { PATH: bin };

    expect(await resolveScriptLaunch('job.py', { cwd, env, platform: 'linux' })).toEqual({ command: 'python3', args: [path.join(cwd, 'job.py')], file: path.join(cwd, 'job.py') });
    expect(await resolveScriptLaunch('job.py', { cwd, env, interpreter: 'none', platform: 'linux' })).toEqual({ command: path.join(cwd, 'job.py'), args: [], file: path.join(cwd, 'job.py') });
    expect(await resolveScriptLaunch('job.py', { cwd, env, interpreter: 'pypy3', platform: 'linux' })).toMatchObject({ command: 'pypy3', args: [path.join(cwd, 'job.py')] });
    expect(await resolveScriptLaunch('tool', { cwd, env, platform: 'linux' })).toEqual({ command: 'tool', args: [], file: null });
    expect(await resolveScriptLaunch('plain', { cwd, env, platform: 'linux' })).toBeNull();
    expect(await resolveScriptLaunch('missing.js', { cwd, env, platform: 'linux' })).toBeNull();
    expect(await resolveScriptLaunch('./bin', { cwd, env, platform: 'linux' })).toBeNull();
  });
});
