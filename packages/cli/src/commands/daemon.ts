import type { Command } from 'commander';
import { OwlError } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { resolveCliHome } from '../connect/resolve-home.ts';
import { withClient } from '../connect/with-client.ts';
import { startDaemon } from '../daemon-control/start-daemon.ts';
import { stopDaemon } from '../daemon-control/stop-daemon.ts';
import { formatDuration } from '../output/format.ts';
import { printJson, printLine } from '../output/print.ts';

export function registerDaemonCommands(program: Command): void {
  const daemon = program.command('daemon').description('start, stop and inspect the owl daemon of this home');

  daemon
    .command('start')
    .description('start the daemon in the background; returns once it answers')
    .action(async (_options, command: Command) => {
      const options = globalOptions(command);
      const home = resolveCliHome(options.home);
      const started = await startDaemon(home);
      if (options.json) printJson({ pid: started.pid, version: started.version, home });
      else printLine(`owl daemon started (pid ${started.pid}, home ${home})`);
    });

  daemon
    .command('stop')
    .description('stop the daemon; apps keep running unless --with-apps')
    .option('--with-apps', 'stop every app first')
    .action(async (options: { withApps?: boolean }, command: Command) => {
      const globals = globalOptions(command);
      const home = resolveCliHome(globals.home);
      const { pid } = await stopDaemon(home, options.withApps ?? false);
      if (globals.json) printJson({ stopped: true, pid });
      else printLine(`owl daemon stopped (pid ${pid})${options.withApps ? ' with its apps' : '; apps keep running'}`);
    });

  daemon
    .command('restart')
    .description('stop and start the daemon; apps keep running and are re-adopted')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const home = resolveCliHome(globals.home);
      await stopDaemon(home, false).catch((error: unknown) => {
        if (!(error instanceof OwlError && error.code === 'OWL_DAEMON_NOT_RUNNING')) throw error;
      });
      const started = await startDaemon(home);
      if (globals.json) printJson({ pid: started.pid, version: started.version, home });
      else printLine(`owl daemon restarted (pid ${started.pid})`);
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
        printLine(`plane    ${plane.kind} ${plane.address}${plane.fingerprint ? ` (tls, sha256 ${plane.fingerprint})` : ''}`);
      }
      printLine(`apps     ${status.apps.running}/${status.apps.total} running`);
    });

  daemon
    .command('run')
    .description('run the daemon in the foreground (for services and containers)')
    .action(async (_options, command: Command) => {
      const home = resolveCliHome(globalOptions(command).home);
      // Loaded only here so every other command starts without the daemon's code.
      const { runDaemon } = await import('@owl/daemon');
      const running = await runDaemon({ home, foreground: true });
      await running.closed;
    });
}
