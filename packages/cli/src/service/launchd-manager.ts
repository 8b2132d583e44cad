import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import { daemonRunCommand } from './daemon-command.ts';
import { assertWritable, isRootUser, removeIfPresent, writeFileIfChanged } from './service-files.ts';
import { underRoot, type ServiceOptions } from './service-options.ts';
import { KEPT_LINE, type ServiceManager, type ServiceReport, type ServiceStatus } from './service-report.ts';
import { runTool, runToolChecked } from './run-tool.ts';
import { LAUNCHD_LABEL, renderLaunchdPlist } from './launchd-plist.ts';

function plistDirectory(options: ServiceOptions): string {
  return options.scope === 'system' ? '/Library/LaunchDaemons' : path.join(homedir(), 'Library', 'LaunchAgents');
}

/** launchctl's domain: the system one, or the logged-in user's GUI domain. */
function domain(options: ServiceOptions): string {
  return options.scope === 'system' ? 'system' : `gui/${process.getuid?.() ?? 0}`;
}

export function createLaunchdManager(options: ServiceOptions): ServiceManager {
  const plistFile = path.join(plistDirectory(options), `${LAUNCHD_LABEL}.plist`);
  const plistPath = underRoot(options, plistFile);
  const service = `${domain(options)}/${LAUNCHD_LABEL}`;
  const report = (actions: string[]): ServiceReport => ({ manager: 'launchd', scope: options.scope, target: plistPath, home: options.home, actions });

  function assertPrivileged(): void {
    if (options.scope === 'system' && options.root === null && !isRootUser()) {
      throw new OwlError('OWL_FORBIDDEN', `a launch daemon goes to ${plistDirectory(options)} and needs root: run it with sudo, or use --user for a launch agent of your own`);
    }
    assertWritable(path.dirname(plistPath), options.root === null ? 'run it as root (sudo) or use --user' : `--root ${options.root} must be writable`);
  }

  function assertLive(verb: string): void {
    if (options.root !== null) throw new OwlError('OWL_USAGE', `owl service ${verb} talks to the running launchd; --root only installs files`);
  }

  async function isLoaded(): Promise<boolean> {
    return (await runTool('launchctl', ['print', service])).code === 0;
  }

  return {
    async install() {
      assertPrivileged();
      const plist = renderLaunchdPlist({ command: daemonRunCommand(options.home), home: options.home, outFile: path.join(options.home, 'logs', 'daemon.out') });
      const written = writeFileIfChanged(plistPath, plist);
      const actions = [`${written} ${plistPath}`];
      if (options.root !== null) return report(actions);
      // A changed plist takes effect only once the job is unloaded and loaded again.
      if (written === 'updated' && (await isLoaded())) {
        await runToolChecked('launchctl', ['bootout', service]);
        actions.push(`ran launchctl bootout ${service}`);
      }
      if (!(await isLoaded())) {
        await runToolChecked('launchctl', ['bootstrap', domain(options), plistPath]);
        actions.push(`ran launchctl bootstrap ${domain(options)} ${plistPath}`);
      }
      return report(actions);
    },

    async uninstall() {
      assertPrivileged();
      const actions: string[] = [];
      if (options.root === null && (await isLoaded())) {
        await runToolChecked('launchctl', ['bootout', service]);
        actions.push(`ran launchctl bootout ${service}`);
      }
      if (removeIfPresent(plistPath)) actions.push(`removed ${plistPath}`);
      if (actions.length === 0) actions.push(`not installed: no ${plistPath}`);
      actions.push(KEPT_LINE);
      return report(actions);
    },

    async start() {
      assertLive('start');
      if (!(await isLoaded())) await runToolChecked('launchctl', ['bootstrap', domain(options), plistPath]);
      await runToolChecked('launchctl', ['kickstart', service]);
      return report([`ran launchctl kickstart ${service}`]);
    },

    async stop() {
      assertLive('stop');
      // KeepAlive would start a killed daemon again: unload the job (the plist stays, so boot loads it).
      await runToolChecked('launchctl', ['bootout', service]);
      return report([`ran launchctl bootout ${service}; apps keep running`]);
    },

    async status(): Promise<ServiceStatus> {
      const installed = existsSync(plistPath);
      const base = { manager: 'launchd' as const, scope: options.scope, target: plistPath, home: options.home, installed, enabled: installed };
      if (options.root !== null) return { ...base, state: null, pid: null };
      const printed = await runTool('launchctl', ['print', service]);
      if (printed.code !== 0) return { ...base, state: 'not loaded', pid: null };
      const state = /^\s*state = (.+)$/m.exec(printed.stdout)?.[1] ?? 'loaded';
      const pid = Number(/^\s*pid = (\d+)$/m.exec(printed.stdout)?.[1] ?? 0);
      return { ...base, state, pid: pid > 0 ? pid : null };
    },
  };
}
