import { Command } from 'commander';
import { registerDaemonCommands } from './commands/daemon.ts';
import { registerPingCommand } from './commands/ping.ts';
import { registerAppCommands } from './commands/apps.ts';
import { registerApplyCommand } from './commands/apply.ts';
import { registerEventsCommand } from './commands/events.ts';
import { registerLogsCommand } from './commands/logs.ts';
import { registerTokenCommands } from './commands/token.ts';
import { registerRemoteCommands } from './commands/remote.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerMetricsCommand } from './commands/metrics.ts';
import { registerDashCommand } from './commands/dash.ts';
import { registerServiceCommands } from './commands/service.ts';
import { CLI_VERSION } from './version.ts';

export function createProgram(): Command {
  const program = new Command('owl')
    .description('owl: a process supervisor that keeps apps running')
    .version(CLI_VERSION)
    .option('--home <dir>', 'OWL_HOME of the daemon to talk to (default $OWL_HOME or ~/.owl)')
    .option('--json', 'machine-readable output: pure JSON on stdout')
    .option('--on <alias>', 'run against a remote daemon by alias')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerDaemonCommands(program);
  registerPingCommand(program);
  registerAppCommands(program);
  registerApplyCommand(program);
  registerEventsCommand(program);
  registerLogsCommand(program);
  registerTokenCommands(program);
  registerRemoteCommands(program);
  registerAuditCommands(program);
  registerMetricsCommand(program);
  registerDashCommand(program);
  registerServiceCommands(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}
