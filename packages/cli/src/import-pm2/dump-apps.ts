import type { Pm2App } from './read-pm2-source.ts';

// Dump fields that hold PM2's runtime bookkeeping, not configuration.
const RUNTIME_FIELDS = new Set([
  'pm_id', 'status', 'pm_uptime', 'created_at', 'restart_time', 'unstable_restarts', 'axm_actions', 'axm_monitor',
  'axm_options', 'axm_dynamic', 'node_version', 'username', 'km_link', 'vizion_running', 'pm_pid_path', 'unique_id',
  'exit_code', 'prev_restart_delay', 'version', 'versioning', 'NODE_APP_INSTANCE',
]);
// Renamed to the option an ecosystem file would use, so one mapping serves both.
const DUMP_NAMES: Record<string, string> = {
  pm_exec_path: 'script',
  pm_cwd: 'cwd',
  exec_interpreter: 'interpreter',
  pm_out_log_path: 'out_file',
  pm_err_log_path: 'error_file',
};
// Variables of the shell `pm2 start` ran in, which PM2 copies into every app's env.
const SHELL_VARIABLES = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'PWD', 'OLDPWD', 'TERM', 'SHLVL', '_', 'LANG', 'TMPDIR', 'HOSTNAME', 'MAIL', 'DISPLAY']);

/** Names of variables PM2 or the shell put in a dumped env, which the app did not declare. */
function isInheritedVariable(name: string, value: unknown, appName: string): boolean {
  if (name.startsWith('PM2_') || name === 'unique_id' || name === appName || name === 'NODE_APP_INSTANCE') return true;
  if (SHELL_VARIABLES.has(name) || name.startsWith('LC_') || name.startsWith('XDG_') || name.startsWith('SSH_')) return true;
  return process.env[name] !== undefined && process.env[name] === String(value);
}

/** One dump entry as an ecosystem app; `__inherited_env` and `__runtime` name what was left out. */
function appFromEntry(entry: Pm2App, instances: number): Pm2App {
  const app: Pm2App = {};
  const name = String(entry.name ?? '');
  const env = (entry.env ?? {}) as Record<string, unknown>;
  const runtime: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'env' || (key in env && key !== 'name')) continue;
    if (RUNTIME_FIELDS.has(key)) runtime.push(key);
    else app[DUMP_NAMES[key] ?? key] = value;
  }
  const kept = Object.entries(env).filter(([key, value]) => !isInheritedVariable(key, value, name));
  app.env = Object.fromEntries(kept);
  app.instances = instances;
  app.__inherited_env = Object.keys(env).filter((key) => !kept.some(([keptKey]) => keptKey === key));
  app.__runtime = runtime;
  if (typeof entry.exec_mode === 'string') app.exec_mode = entry.exec_mode.replace(/_mode$/, '');
  return app;
}

/** PM2's dump lists one entry per running instance: group them back into apps. */
export function appsFromDump(entries: Pm2App[]): Pm2App[] {
  const byName = new Map<string, Pm2App[]>();
  for (const entry of entries) {
    const name = String(entry.name ?? '');
    byName.set(name, [...(byName.get(name) ?? []), entry]);
  }
  return [...byName.values()].map((group) => appFromEntry(group[0] as Pm2App, group.length));
}
