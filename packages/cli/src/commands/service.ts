import type { Command } from 'commander';
import { OwlError } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { printJson, printLine } from '../output/print.ts';
import { createServiceManager } from '../service/create-service-manager.ts';
import { parseServiceOptions, type ServiceFlags } from '../service/service-options.ts';
import type { ServiceManager, ServiceReport } from '../service/service-report.ts';

type Verb = 'install' | 'uninstall' | 'start' | 'stop';

const DESCRIPTIONS: Record<Verb, string> = {
  install: 'install the daemon as a service that starts at boot and restarts it forever (idempotent)',
  uninstall: 'stop and remove the service; apps keep running, OWL_HOME is kept',
  start: 'start the service',
  stop: 'stop the service (the daemon only: apps keep running)',
};

function addServiceFlags(command: Command): Command {
  return command
    .option('--user', 'a unit/agent of the current user instead of the system-wide one (systemd, launchd)')
    .option('--root <dir>', 'install into this directory instead of / (files only; also $OWL_SERVICE_ROOT)')
    .option('--manager <kind>', 'systemd, launchd or windows (default: the one of this OS)');
}

async function managerFor(command: Command): Promise<{ manager: ServiceManager; json: boolean }> {
  const globals = globalOptions(command);
  if (globals.on) throw new OwlError('OWL_USAGE', `owl service acts on this machine; --on ${globals.on} is not supported here`);
  const options = parseServiceOptions(command.opts<ServiceFlags>(), globals.home);
  return { manager: await createServiceManager(options), json: globals.json ?? false };
}

function printReport(report: ServiceReport, json: boolean): void {
  if (json) return printJson(report);
  for (const action of report.actions) printLine(action);
}

export function registerServiceCommands(program: Command): void {
  const service = program.command('service').description('run the daemon as a system service (Windows service, systemd unit, launchd job)');
  for (const verb of Object.keys(DESCRIPTIONS) as Verb[]) {
    addServiceFlags(service.command(verb).description(DESCRIPTIONS[verb])).action(async (_flags, command: Command) => {
      const { manager, json } = await managerFor(command);
      printReport(await manager[verb](), json);
    });
  }

  service
    .command('run', { hidden: true })
    .description('the Windows service process (started by the service manager, not by hand)')
    .action(async (_flags, command: Command) => {
      const options = parseServiceOptions({}, globalOptions(command).home);
      if (options.manager !== 'windows') throw new OwlError('OWL_USAGE', 'owl service run is the Windows service process; elsewhere the service runs `owl daemon run`');
      // Loaded only here: it binds advapi32 through koffi.
      const { runServiceHost } = await import('../service/windows/service-host.ts');
      await runServiceHost(options.home);
    });

  addServiceFlags(service.command('status').description('show whether the service is installed, enabled and running')).action(
    async (_flags, command: Command) => {
      const { manager, json } = await managerFor(command);
      const status = await manager.status();
      if (json) return printJson(status);
      printLine(`${status.manager} ${status.scope} service ${status.target}`);
      printLine(`installed ${status.installed ? 'yes' : 'no'}, enabled ${status.enabled ? 'yes' : 'no'}`);
      if (status.state !== null) printLine(`state     ${status.state}${status.pid ? `, pid ${status.pid}` : ''}`);
      printLine(`home      ${status.home}`);
    },
  );
}
