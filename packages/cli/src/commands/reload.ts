import type { Command } from 'commander';
import { OwlError, RpcClient, type AppReload } from '@owl/rpc';
import { globalOptions } from '../connect/global-options.ts';
import { connectTarget } from '../connect/with-client.ts';
import { printJson, printLine } from '../output/print.ts';

// Each instance may take its initGrace plus a few health checks: far beyond one ordinary call.
const RELOAD_CALL_TIMEOUT_MS = 60 * 60 * 1000;

function list(indexes: number[]): string {
  return indexes.map((index) => `#${index}`).join(', ');
}

/** One line per app: what was replaced, and where and why the reload stopped. */
export function describeReload(app: AppReload): string {
  if (app.failed) {
    const kept = app.untouched.length > 0 ? `; ${list(app.untouched)} untouched, still running their old processes` : '';
    const done = app.replaced.length > 0 ? `; replaced ${list(app.replaced)}` : '';
    return `${app.name}: reload stopped: the replacement of #${app.failed.instance} did not come up (${app.failed.reason})${done}${kept}`;
  }
  if (app.instances === 1) return `${app.name}: restarted (one instance, so reload is a restart: run 2 or more instances for a reload without downtime)`;
  if (app.instances === 0) return `${app.name}: no instances`;
  return `${app.name}: reloaded ${app.instances} instances one at a time`;
}

export function registerReloadCommand(program: Command): void {
  program
    .command('reload')
    .argument('<name>', 'app name, or "all"')
    .description('rolling restart: one instance at a time, each replacement running (and healthy) before the next')
    .action(async (target: string, _options, command: Command) => {
      const globals = globalOptions(command);
      const client = await RpcClient.connect(connectTarget(globals), { callTimeoutMs: RELOAD_CALL_TIMEOUT_MS });
      const result = await client.call('apps.reload', { target }).finally(() => client.close());
      if (globals.json) printJson(result);
      else if (result.apps.length === 0) printLine('reloaded: (no apps)');
      else for (const app of result.apps) printLine(describeReload(app));
      const failed = result.apps.find((app) => app.failed);
      if (failed) throw new OwlError('OWL_RELOAD_FAILED', `reload of "${failed.name}" stopped at instance #${failed.failed?.instance}; the instances after it were not touched`);
    });
}
