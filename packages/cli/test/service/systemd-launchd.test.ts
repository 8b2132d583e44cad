import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parsePlist } from 'plist';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { startFixture, waitForApp } from '@owl/test-support/apps';
import { isAlive, OWL_BIN, runOwl, tempHome } from '@owl/test-support/owl';
import { listFiles, splitExecStart, unitSection } from './unit-files.ts';

const hasAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
// CI installs systemd's tools; there a missing systemd-analyze fails instead of skipping.
if (!hasAnalyze && process.env.OWL_REQUIRE_SYSTEMD_ANALYZE === '1') throw new Error('systemd-analyze is required (apt-get install -y systemd)');

function tempRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'owl-service-root-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

function verifyUnit(file: string, user: boolean): { status: number | null; output: string } {
  // A user manager needs a runtime directory even to verify; none exists without a login session.
  const runtime = mkdtempSync(path.join(tmpdir(), 'owl-xdg-runtime-'));
  onTestFinished(() => rmSync(runtime, { recursive: true, force: true }));
  const result = spawnSync('systemd-analyze', ['verify', ...(user ? ['--user'] : []), file], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
  // verify exits 0 even for lines it ignores: any output at all is a finding.
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('owl service on systemd', () => {
  it('installs a system unit into --root idempotently, verifies, and uninstall removes exactly what it wrote', async () => {
    const root = tempRoot();
    writeFileSync(path.join(root, 'unrelated.txt'), 'kept');
    const unitPath = path.join(root, 'etc/systemd/system/owl.service');
    const wantsPath = path.join(root, 'etc/systemd/system/multi-user.target.wants/owl.service');

    const first = await runOwl(['service', 'install', '--manager', 'systemd', '--root', root]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`created ${unitPath}\ncreated ${wantsPath} -> /etc/systemd/system/owl.service\n`);
    expect(readlinkSync(wantsPath)).toBe('/etc/systemd/system/owl.service');

    const unit = readFileSync(unitPath, 'utf8');
    const service = unitSection(unit, 'Service');
    expect(splitExecStart(service.get('ExecStart') ?? '')).toEqual([process.execPath, '--max-semi-space-size=1', '--optimize-for-size', OWL_BIN, '--home', '/var/lib/owl', 'daemon', 'run']);
    expect(Object.fromEntries([...service].filter(([key]) => ['Restart', 'RestartSec', 'KillMode', 'Environment', 'OOMPolicy', 'TasksMax'].includes(key)))).toEqual({
      Restart: 'always',
      RestartSec: '2',
      KillMode: 'process',
      Environment: 'OWL_HOME=/var/lib/owl',
      OOMPolicy: 'continue',
      TasksMax: 'infinity',
    });
    expect(unitSection(unit, 'Unit').get('StartLimitIntervalSec')).toBe('0');
    expect(unitSection(unit, 'Install').get('WantedBy')).toBe('multi-user.target');
    if (hasAnalyze) expect(verifyUnit(unitPath, false)).toEqual({ status: 0, output: '' });

    const again = await runOwl(['service', 'install', '--manager', 'systemd', '--root', root]);
    expect(again.stdout).toBe(`unchanged ${unitPath}\nunchanged ${wantsPath} -> /etc/systemd/system/owl.service\n`);
    const status = JSON.parse((await runOwl(['service', 'status', '--manager', 'systemd', '--root', root, '--json'])).stdout) as Record<string, unknown>;
    expect(status).toEqual({ manager: 'systemd', scope: 'system', target: unitPath, home: '/var/lib/owl', installed: true, enabled: true, state: null, pid: null });

    // A home with a space, a % and a $ survives systemd's quoting and specifier expansion.
    const oddHome = '/srv/owl home/%i $HOME';
    const moved = await runOwl(['--home', oddHome, 'service', 'install', '--manager', 'systemd', '--root', root]);
    expect(moved.stdout.split('\n')[0]).toBe(`updated ${unitPath}`);
    const movedUnit = unitSection(readFileSync(unitPath, 'utf8'), 'Service');
    expect(splitExecStart(movedUnit.get('ExecStart') ?? '').slice(4, 6)).toEqual(['--home', oddHome]);
    expect(movedUnit.get('ExecStart')).toContain('"/srv/owl home/%%i $$HOME"');
    if (hasAnalyze) expect(verifyUnit(unitPath, false)).toEqual({ status: 0, output: '' });

    const started = await runOwl(['service', 'start', '--manager', 'systemd', '--root', root]);
    expect(started).toMatchObject({ code: 2, stderr: 'owl: owl service start talks to the running systemd; --root only installs files\n' });

    const removed = await runOwl(['service', 'uninstall', '--manager', 'systemd', '--root', root]);
    expect(removed).toMatchObject({ code: 0, stdout: `removed ${wantsPath}\nremoved ${unitPath}\nkept the daemon's OWL_HOME (state and logs); apps keep running\n` });
    expect(listFiles(root)).toEqual(['unrelated.txt']);
    const twice = await runOwl(['service', 'uninstall', '--manager', 'systemd', '--root', root]);
    expect(twice.stdout.split('\n')[0]).toBe(`not installed: no ${unitPath}`);
  });

  it('installs a user unit wanted by default.target, with a linger hint', async () => {
    const root = tempRoot();
    const result = await runOwl(['service', 'install', '--user', '--manager', 'systemd', '--root', root], { env: { USER: 'owl-no-such-user' } });
    expect(result.code).toBe(0);
    const unitDir = path.join(root, process.env.HOME ?? '/root', '.config/systemd/user');
    expect(result.stdout).toContain(`created ${unitDir}/owl.service\n`);
    expect(result.stdout).toContain(`created ${unitDir}/default.target.wants/owl.service -> `);
    expect(result.stdout).toContain('hint: user units start at login only; run `loginctl enable-linger owl-no-such-user` so owl starts at boot\n');
    const unit = readFileSync(path.join(unitDir, 'owl.service'), 'utf8');
    expect(unitSection(unit, 'Install').get('WantedBy')).toBe('default.target');
    expect(unitSection(unit, 'Unit').has('After')).toBe(false);
    if (hasAnalyze) expect(verifyUnit(path.join(unitDir, 'owl.service'), true)).toEqual({ status: 0, output: '' });
    expect((await runOwl(['service', 'uninstall', '--user', '--manager', 'systemd', '--root', root])).code).toBe(0);
    expect(listFiles(root)).toEqual([]);
  });

  // Needs root to drop to an unprivileged user (setpriv, from util-linux).
  it.skipIf(process.getuid?.() !== 0 || spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status !== 0)('refuses a system install without root, and an unwritable --root, changing nothing', () => {
    const root = tempRoot();
    const asNobody = (...args: string[]) =>
      spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, OWL_BIN, 'service', ...args], { encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent' } });
    const refused = asNobody('install', '--manager', 'systemd');
    expect(refused.status).toBe(4);
    expect(refused.stderr).toBe('owl: a system unit goes to /etc/systemd/system and needs root: run it with sudo, or use --user for a unit of your own\n');
    const unwritable = asNobody('install', '--manager', 'systemd', '--root', root);
    expect(unwritable.status).toBe(4);
    expect(unwritable.stderr).toBe(`owl: cannot write to ${root}: --root ${root} must be writable\n`);
    expect(listFiles(root)).toEqual([]);
  });

  it('rejects an unknown manager and --user for Windows with exit 2', async () => {
    expect(await runOwl(['service', 'install', '--manager', 'upstart'])).toMatchObject({ code: 2, stderr: 'owl: --manager: expected one of systemd, launchd, windows, got "upstart"\n' });
    expect(await runOwl(['service', 'install', '--manager', 'windows', '--user'])).toMatchObject({ code: 2, stderr: 'owl: --user: a Windows service always runs for the whole machine (LocalSystem)\n' });
  });

  it('runs the unit\'s ExecStart as systemd would; a stop under KillMode=process (SIGTERM to the main pid only) leaves apps running', async () => {
    const root = tempRoot();
    const home = tempHome();
    expect((await runOwl(['--home', home, 'service', 'install', '--manager', 'systemd', '--root', root])).code).toBe(0);
    const words = splitExecStart(unitSection(readFileSync(path.join(root, 'etc/systemd/system/owl.service'), 'utf8'), 'Service').get('ExecStart') ?? '');
    // systemd starts the main process in its own session, with stdout to the journal.
    const daemon = spawn(words[0] ?? '', words.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, OWL_HOME: home } });
    const exited = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
    onTestFinished(() => {
      if (daemon.pid && isAlive(daemon.pid)) process.kill(daemon.pid, 'SIGKILL');
    });
    await waitFor(async () => (await runOwl(['ping'], { home })).code === 0, { timeoutMs: 20_000 });
    await startFixture(home, 'kept', 'forever.mjs');
    const app = await waitForApp(home, 'kept', (row) => row.status === 'running' && row.pid !== null);
    process.kill(daemon.pid ?? 0, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(isAlive(app.pid ?? 0)).toBe(true);

    // Restart=always: the next daemon adopts the same process, no second copy.
    const again = spawn(words[0] ?? '', words.slice(1), { detached: true, stdio: 'ignore' });
    onTestFinished(() => {
      if (again.pid && isAlive(again.pid)) process.kill(again.pid, 'SIGKILL');
    });
    await waitFor(async () => (await runOwl(['ping'], { home })).code === 0, { timeoutMs: 20_000 });
    const adopted = await waitForApp(home, 'kept', (row) => row.status === 'running', 20_000);
    expect(adopted.pid).toBe(app.pid);
    expect(adopted.restarts).toBe(0);
  });
});

describe('owl service on launchd', () => {
  it('writes a launch daemon plist that parses, keeps the daemon alive and abandons its process group', async () => {
    const root = tempRoot();
    const plistPath = path.join(root, 'Library/LaunchDaemons/dev.owl.owld.plist');
    const home = '/Library/Application Support/owl & <co>';
    const installed = await runOwl(['--home', home, 'service', 'install', '--manager', 'launchd', '--root', root]);
    expect(installed).toMatchObject({ code: 0, stdout: `created ${plistPath}\n`, stderr: '' });
    const job = parsePlist(readFileSync(plistPath, 'utf8')) as Record<string, unknown>;
    expect(job).toEqual({
      Label: 'dev.owl.owld',
      ProgramArguments: [process.execPath, '--max-semi-space-size=1', '--optimize-for-size', OWL_BIN, '--home', home, 'daemon', 'run'],
      EnvironmentVariables: { OWL_HOME: home },
      RunAtLoad: true,
      KeepAlive: true,
      AbandonProcessGroup: true,
      ThrottleInterval: 2,
      ProcessType: 'Standard',
      StandardOutPath: `${home}/logs/daemon.out`,
      StandardErrorPath: `${home}/logs/daemon.out`,
    });
    expect((await runOwl(['--home', home, 'service', 'install', '--manager', 'launchd', '--root', root])).stdout).toBe(`unchanged ${plistPath}\n`);
    const removed = await runOwl(['--home', home, 'service', 'uninstall', '--manager', 'launchd', '--root', root]);
    expect(removed.stdout.split('\n')[0]).toBe(`removed ${plistPath}`);
    expect(listFiles(root)).toEqual([]);
  });

  it('writes a user launch agent under ~/Library/LaunchAgents', async () => {
    const root = tempRoot();
    const result = await runOwl(['service', 'install', '--user', '--manager', 'launchd', '--root', root]);
    expect(result.code).toBe(0);
    const plistPath = path.join(root, process.env.HOME ?? '/root', 'Library/LaunchAgents/dev.owl.owld.plist');
    const job = parsePlist(readFileSync(plistPath, 'utf8')) as { ProgramArguments: string[] };
    expect(job.ProgramArguments.slice(4, 6)).toEqual(['--home', path.join(process.env.HOME ?? '/root', '.owl')]);
  });
});
