import { Command } from 'commander';
import { registerDaemonCommands } from './commands/daemon.ts';
import { registerPingCommand } from './commands/ping.ts';
import { registerAppCommands } from './commands/apps.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerReloadCommand } from './commands/reload.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerCompletionCommands } from './commands/completion.ts';
import { registerApplyCommand } from './commands/apply.ts';
import { registerEventsCommand } from './commands/events.ts';
import { registerLogsCommand } from './commands/logs.ts';
import { registerTokenCommands } from './commands/token.ts';
import { registerRemoteCommands } from './commands/remote.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerMetricsCommand } from './commands/metrics.ts';
import { registerDashCommand } from './commands/dash.ts';
import { configureUsageErrors } from './output/usage-errors.ts';
import { registerClusterCommands } from './commands/cluster.ts';
import { registerFleetCommands } from './commands/fleet.ts';
import { registerServiceCommands } from './commands/service.ts';
import { registerRoostCommands } from './commands/roost.ts';
import { CLI_VERSION } from './version.ts';
import { parseTimeoutOption } from './connect/answer-deadline.ts';

export function createProgram(): Command {
  const program = new Command('owl')
    .description('owl: a process supervisor that keeps apps running')
    .version(CLI_VERSION)
    .option('--home <dir>', 'OWL_HOME of the daemon to talk to (default $OWL_HOME or ~/.owl)')
    .option('--json', 'machine-readable output: pure JSON on stdout')
    .option('--on <alias>', 'run against a remote daemon by alias')
    .option('--timeout <duration>', 'how long the daemon may stay silent before owl gives up with exit 3 (default 5s)', parseTimeoutOption);
  registerDaemonCommands(program);
  registerPingCommand(program);
  registerStartCommand(program);
  registerAppCommands(program);
  registerReloadCommand(program);
  registerApplyCommand(program);
  registerImportCommands(program);
  registerEventsCommand(program);
  registerLogsCommand(program);
  registerTokenCommands(program);
  registerRemoteCommands(program);
  registerAuditCommands(program);
  registerMetricsCommand(program);
  registerDashCommand(program);
  registerCompletionCommands(program);
  registerClusterCommands(program);
  registerFleetCommands(program);
  registerServiceCommands(program);
  registerRoostCommands(program);
  configureUsageErrors(program);
  return program;
}
