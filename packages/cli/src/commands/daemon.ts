import type { Command } from 'commander';
import { OwlError } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { resolveCliHome } from '../connect/resolve-home.ts';
import { withClient } from '../connect/with-client.ts';
import { addPlaneFlags, parsePlaneFlags, type PlaneFlags } from '../daemon-control/plane-flags.ts';
import { describePlane } from '../daemon-control/local-planes.ts';
import { printStarted } from '../daemon-control/print-started.ts';
import type { GlobalOptions } from '../connect/global-options.ts';
import { formatDuration } from '../output/format.ts';
import { printError, printJson, printLine } from '../output/print.ts';

/** Starting and stopping act on this machine's daemon; a remote one is managed where it runs. */
function refuseRemote(globals: GlobalOptions, name: string): void {
  if (globals.on) throw new OwlError('OWL_USAGE', `owl daemon ${name} acts on the daemon of this machine; --on ${globals.on} is not supported here`);
}

// Loaded by the commands that start or stop the daemon only: `owl ls` and every other call
// start without the pid lock, process table and spawning code.
const loadStartDaemon = async () => (await import('../daemon-control/start-daemon.ts')).startDaemon;
const loadStopDaemon = async () => (await import('../daemon-control/stop-daemon.ts')).stopDaemon;

export function registerDaemonCommands(program: Command): void {
  const daemon = program.command('daemon').description('start, stop and inspect the owl daemon of this home');

  addPlaneFlags(daemon.command('start').description('start the daemon in the background; returns once it answers')).action(
    async (flags: PlaneFlags, command: Command) => {
      const options = globalOptions(command);
      refuseRemote(options, 'start');
      const { argv } = parsePlaneFlags(flags);
      const home = resolveCliHome(options.home);
      await printStarted(home, await (await loadStartDaemon())(home, argv, options.timeout), options.json, 'started');
    },
  );

  daemon
    .command('stop')
    .description('stop the daemon; apps keep running unless --with-apps')
    .option('--with-apps', 'stop every app first')
    .action(async (options: { withApps?: boolean }, command: Command) => {
      const globals = globalOptions(command);
      refuseRemote(globals, 'stop');
      const home = resolveCliHome(globals.home);
      const { pid } = await (await loadStopDaemon())(home, options.withApps ?? false, globals.timeout);
      if (globals.json) printJson({ stopped: true, pid });
      else printLine(`owl daemon stopped (pid ${pid})${options.withApps ? ' with its apps' : '; apps keep running'}`);
    });

  addPlaneFlags(daemon.command('restart').description('stop and start the daemon; apps keep running and are re-adopted'))
    .action(async (flags: PlaneFlags, command: Command) => {
      const globals = globalOptions(command);
      refuseRemote(globals, 'restart');
      const { argv } = parsePlaneFlags(flags);
      const home = resolveCliHome(globals.home);
      const [startDaemon, stopDaemon] = await Promise.all([loadStartDaemon(), loadStopDaemon()]);
      await stopDaemon(home, false, globals.timeout).catch((error: unknown) => {
        if (!(error instanceof OwlError && error.code === 'OWL_DAEMON_NOT_RUNNING')) throw error;
      });
      await printStarted(home, await startDaemon(home, argv, globals.timeout), globals.json, 'restarted');
    });

  daemon
    .command('status')
    .description('show whether the daemon runs, its planes and app counts')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const status = await withClient(globals, (client) => client.call('daemon.status', {}));
      if (globals.json) return printJson(status);
      printLine(`owl daemon ${status.version} running, pid ${status.pid}, up ${formatDuration(status.uptimeMs)}`);
      printLine(`home     ${status.home}`);
      for (const plane of status.planes) {
        printLine(`plane    ${describePlane(plane)}`);
      }
      printLine(`apps     ${status.apps.running}/${status.apps.total} running`);
      for (const failing of status.homeWrites ?? []) {
        printLine(`WARNING  cannot write ${failing.file} since ${failing.since}: ${failing.error}; the daemon keeps retrying`);
      }
      for (const warning of status.warnings) printError(`warning: ${warning}`);
    });

  daemon
    .command('reload')
    .description('re-read config.json and apply what changed (webhooks, TCP plane); apps keep running')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const result = await withClient(globals, (client) => client.call('daemon.reload', {}));
      if (globals.json) return printJson(result);
      printLine(`config reloaded: ${result.changed.length === 0 ? 'nothing changed' : result.changed.join(', ')}`);
      for (const plane of result.planes) printLine(`plane    ${describePlane(plane)}`);
    });

  addPlaneFlags(daemon.command('run').description('run the daemon in the foreground (for services and containers)'))
    .action(async (flags: PlaneFlags, command: Command) => {
      const globals = globalOptions(command);
      refuseRemote(globals, 'run');
      const { overrides } = parsePlaneFlags(flags);
      const home = resolveCliHome(globals.home);
      // Loaded only here so every other command starts without the daemon's code.
      const { runDaemon } = await import('@owl/daemon');
      const running = await runDaemon({ home, foreground: true, planes: overrides });
      await running.closed;
    });
}
