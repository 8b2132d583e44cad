import type { Command } from 'commander';
import { OwlError, type FleetCommandRow } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { withClient } from '../connect/with-client.ts';
import { formatLogLine } from '../output/format-log-line.ts';
import { renderTable } from '../output/format.ts';
import { printJson, printLine } from '../output/print.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface RunOptions {
  nodes?: string;
  label: string[];
  all?: boolean;
  wait: boolean;
  timeout: string;
  ttl: string;
}

/**
 * Commander gives `--timeout` to the program (how long the daemon may stay silent) wherever it
 * stands, so `owl fleet restart web --all --timeout 90s` would leave the fleet wait at its
 * default. A `--timeout` after the `fleet` word is the fleet wait; one before it stays global.
 */
function splitTimeouts(command: Command, globalTimeout: number | undefined): { fleetWait: string | undefined; answer: number | undefined } {
  let root = command;
  while (root.parent) root = root.parent;
  const raw = (root as Command & { rawArgs: string[] }).rawArgs;
  const fleetAt = raw.indexOf('fleet');
  let fleetWait: string | undefined;
  let before = false;
  raw.forEach((word, index) => {
    const value = word === '--timeout' ? raw[index + 1] : word.startsWith('--timeout=') ? word.slice('--timeout='.length) : undefined;
    if (value === undefined) return;
    if (index > fleetAt) fleetWait = value;
    else before = true;
  });
  return { fleetWait, answer: before ? globalTimeout : undefined };
}

function registerRun(fleet: Command, action: 'start' | 'stop' | 'restart'): void {
  fleet
    .command(action)
    .argument('<app>', 'app name on the target nodes')
    .description(`${action} an app on chosen nodes: one signed command per node, run once each; exit 1 if any failed or timed out`)
    .option('--nodes <a,b>', 'node aliases or ids, comma-separated')
    .option('--label <k=v>', 'nodes carrying every label given (repeatable)', collect, [])
    .option('--all', 'every node of the cluster')
    .option('--no-wait', 'queue and return without waiting for results')
    .option('--timeout <duration>', 'how long to wait for results', '30s')
    .option('--ttl <duration>', 'a node that has not run it by then never will', '1h')
    .action(async (app: string, options: RunOptions, command: Command) => {
      const { fleetWait, answer } = splitTimeouts(command, globalOptions(command).timeout);
      const globals = { ...globalOptions(command), timeout: answer };
      const nodes = options.nodes?.split(',').map((name) => name.trim()).filter(Boolean);
      const params = { action, app, all: options.all === true, wait: options.wait, timeout: fleetWait ?? options.timeout, ttl: options.ttl, ...(nodes ? { nodes } : {}), ...(options.label.length ? { labels: options.label } : {}) };
      const result = await withClient(globals, (client) => client.call('fleet.run', params));
      if (globals.json) printJson(result);
      else printLine(renderTable(['NODE', 'STATUS', 'MESSAGE'], result.rows.map((row) => [row.node, row.status, row.message])));
      const bad = result.rows.filter((row: FleetCommandRow) => row.status !== 'ok' && row.status !== 'queued');
      if (bad.length > 0) throw new OwlError('OWL_FLEET_INCOMPLETE', `${action} ${app}: ${bad.length} of ${result.rows.length} nodes did not succeed (${bad.map((row) => `${row.node}: ${row.status}`).join(', ')})`);
    });
}

const MAX_FLEET_LOG_LINES = 1_000;

function registerLogs(fleet: Command): void {
  fleet
    .command('logs')
    .argument('<app>', 'app name on the target nodes')
    .description('the last lines of an app on chosen nodes, each line prefixed by its node; exit 1 if a node could not be read')
    .option('--nodes <a,b>', 'node aliases or ids, comma-separated')
    .option('--label <k=v>', 'nodes carrying every label given (repeatable)', collect, [])
    .option('--all', 'every node of the cluster')
    .option('-n, --lines <n>', `lines per node (1-${MAX_FLEET_LOG_LINES})`, '50')
    .option('-t, --timestamps', 'prefix each line with the time its daemon read it')
    .action(async (app: string, options: { nodes?: string; label: string[]; all?: boolean; lines: string; timestamps?: boolean }, command: Command) => {
      const globals = globalOptions(command);
      const lines = Number(options.lines);
      if (!Number.isInteger(lines) || lines < 1 || lines > MAX_FLEET_LOG_LINES) {
        command.error(`--lines: expected a whole number from 1 to ${MAX_FLEET_LOG_LINES}, received "${options.lines}"`, { exitCode: 2 });
      }
      const nodes = options.nodes?.split(',').map((name) => name.trim()).filter(Boolean);
      const params = { app, lines, all: options.all === true, ...(nodes ? { nodes } : {}), ...(options.label.length ? { labels: options.label } : {}) };
      const rows = await withClient(globals, (client) => client.call('fleet.logs', params));
      if (globals.json) printJson(rows);
      else {
        const format = { withApp: false, timestamps: options.timestamps ?? false };
        for (const row of rows) for (const line of row.lines) printLine(`${row.node}| ${formatLogLine(line, format)}`);
      }
      const bad = rows.filter((row) => row.status !== 'ok');
      if (bad.length > 0) throw new OwlError('OWL_FLEET_INCOMPLETE', `logs ${app}: ${bad.length} of ${rows.length} nodes could not be read (${bad.map((row) => `${row.node}: ${row.message}`).join('; ')})`);
    });
}

export function registerFleetCommands(program: Command): void {
  const fleet = program.command('fleet').description('see and drive every node of the cluster');

  fleet
    .command('ls')
    .description('every app on every node (from the leader\'s cluster view)')
    .action(async (_options, command: Command) => {
      const globals = globalOptions(command);
      const apps = await withClient(globals, (client) => client.call('fleet.ls', {}));
      if (globals.json) printJson(apps);
      else printLine(apps.length === 0 ? 'no apps in the fleet view yet' : renderTable(['NODE', 'APP', '#', 'STATUS', 'CPU', 'MEMORY', 'RESTARTS'], apps.map((app) => [app.node, app.name, String(app.instance), app.status, app.cpu === null ? '-' : `${app.cpu}%`, app.memory === null ? '-' : `${Math.round(app.memory / 1048576)}MB`, String(app.restarts)])));
    });

  fleet
    .command('metrics')
    .description('per-node CPU, memory and running apps, one point a minute (24 h kept)')
    .option('--since <duration>', 'how far back, up to 24h', '1h')
    .action(async (options: { since: string }, command: Command) => {
      const globals = globalOptions(command);
      const points = await withClient(globals, (client) => client.call('fleet.metrics', { since: options.since }));
      if (globals.json) printJson(points);
      else printLine(points.length === 0 ? 'no fleet history yet' : renderTable(['TIME', 'NODE', 'CPU', 'MEMORY', 'APPS'], points.map((point) => [point.at, point.node, `${point.cpu}%`, `${Math.round(point.memory / 1048576)}MB`, `${point.appsRunning}/${point.appsTotal}`])));
    });

  registerLogs(fleet);
  for (const action of ['start', 'stop', 'restart'] as const) registerRun(fleet, action);
}
