import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import { daemonRunCommand } from './daemon-command.ts';
import { assertWritable, ensureSymlink, isPresent, isRootUser, removeIfPresent, writeFileIfChanged } from './service-files.ts';
import { underRoot, type ServiceOptions } from './service-options.ts';
import { KEPT_LINE, type ServiceManager, type ServiceReport, type ServiceStatus } from './service-report.ts';
import { runTool, runToolChecked } from './run-tool.ts';
import { renderSystemdUnit, SYSTEMD_UNIT_NAME } from './systemd-unit.ts';

/** Where the unit lives on the target system (before --root is applied). */
function unitDirectory(options: ServiceOptions): string {
  return options.scope === 'system' ? '/etc/systemd/system' : path.join(homedir(), '.config', 'systemd', 'user');
}

function wantsDirectory(options: ServiceOptions): string {
  return path.join(unitDirectory(options), options.scope === 'system' ? 'multi-user.target.wants' : 'default.target.wants');
}

export function createSystemdManager(options: ServiceOptions): ServiceManager {
  const unitFile = path.join(unitDirectory(options), SYSTEMD_UNIT_NAME);
  const unitPath = underRoot(options, unitFile);
  const wantsLink = underRoot(options, path.join(wantsDirectory(options), SYSTEMD_UNIT_NAME));
  const scopeArgs = options.scope === 'user' ? ['--user'] : [];
  const report = (actions: string[]): ServiceReport => ({ manager: 'systemd', scope: options.scope, target: unitPath, home: options.home, actions });
  const systemctl = (...args: string[]) => runToolChecked('systemctl', [...scopeArgs, ...args]);

  function assertPrivileged(): void {
    if (options.scope === 'system' && options.root === null && !isRootUser()) {
      throw new OwlError('OWL_FORBIDDEN', `a system unit goes to ${unitDirectory(options)} and needs root: run it with sudo, or use --user for a unit of your own`);
    }
    assertWritable(path.dirname(unitPath), options.root === null ? 'run it as root (sudo) or use --user' : `--root ${options.root} must be writable`);
  }

  function assertLive(verb: string): void {
    if (options.root !== null) throw new OwlError('OWL_USAGE', `owl service ${verb} talks to the running systemd; --root only installs files`);
  }

  function lingerHint(): string[] {
    if (options.scope !== 'user' || existsSync(path.join('/var/lib/systemd/linger', options.user))) return [];
    return [`hint: user units start at login only; run \`loginctl enable-linger ${options.user}\` so owl starts at boot`];
  }

  return {
    async install() {
      assertPrivileged();
      const unit = renderSystemdUnit({ scope: options.scope, command: daemonRunCommand(options.home), home: options.home });
      const actions = [`${writeFileIfChanged(unitPath, unit)} ${unitPath}`];
      if (options.root !== null) {
        // What `systemctl --root DIR enable` does, without needing systemctl on the machine.
        actions.push(`${ensureSymlink(wantsLink, unitFile)} ${wantsLink} -> ${unitFile}`);
        return report([...actions, ...lingerHint()]);
      }
      await systemctl('daemon-reload');
      await systemctl('enable', '--now', SYSTEMD_UNIT_NAME);
      // enable --now leaves a unit that already runs alone: pick up a changed unit file.
      if (actions[0]?.startsWith('updated')) await systemctl('restart', SYSTEMD_UNIT_NAME);
      actions.push(`ran systemctl ${scopeArgs.join(' ')}${scopeArgs.length ? ' ' : ''}enable --now ${SYSTEMD_UNIT_NAME}`);
      return report([...actions, ...lingerHint()]);
    },

    async uninstall() {
      assertPrivileged();
      const actions: string[] = [];
      if (options.root === null && existsSync(unitPath)) {
        // Stopping the daemon this way leaves the apps running (KillMode=process).
        await systemctl('disable', '--now', SYSTEMD_UNIT_NAME);
        actions.push(`ran systemctl ${scopeArgs.join(' ')}${scopeArgs.length ? ' ' : ''}disable --now ${SYSTEMD_UNIT_NAME}`);
      }
      if (removeIfPresent(wantsLink)) actions.push(`removed ${wantsLink}`);
      if (removeIfPresent(unitPath)) actions.push(`removed ${unitPath}`);
      if (options.root === null && actions.length > 0) await systemctl('daemon-reload');
      if (actions.length === 0) actions.push(`not installed: no ${unitPath}`);
      actions.push(KEPT_LINE);
      return report(actions);
    },

    async start() {
      assertLive('start');
      await systemctl('start', SYSTEMD_UNIT_NAME);
      return report([`ran systemctl ${[...scopeArgs, 'start', SYSTEMD_UNIT_NAME].join(' ')}`]);
    },

    async stop() {
      assertLive('stop');
      await systemctl('stop', SYSTEMD_UNIT_NAME);
      return report([`ran systemctl ${[...scopeArgs, 'stop', SYSTEMD_UNIT_NAME].join(' ')}; apps keep running`]);
    },

    async status(): Promise<ServiceStatus> {
      const installed = existsSync(unitPath);
      const base = { manager: 'systemd' as const, scope: options.scope, target: unitPath, home: options.home, installed };
      if (options.root !== null) return { ...base, enabled: isPresent(wantsLink), state: null, pid: null };
      const shown = await runTool('systemctl', [...scopeArgs, 'show', SYSTEMD_UNIT_NAME, '--property=ActiveState,SubState,MainPID,UnitFileState']);
      const props = Object.fromEntries(shown.stdout.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      const pid = Number(props.MainPID ?? 0);
      return {
        ...base,
        enabled: props.UnitFileState === 'enabled',
        state: props.ActiveState ? `${props.ActiveState} (${props.SubState ?? '?'})` : null,
        pid: pid > 0 ? pid : null,
      };
    },
  };
}
