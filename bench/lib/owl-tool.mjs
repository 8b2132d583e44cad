// Drives owl through its built CLI with its own --home, the way a user would.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runChecked, runTimed } from './processes.mjs';
import { taggedEnv } from './tag.mjs';

export class OwlTool {
  label = 'owl';

  constructor(root, id, cli) {
    this.cli = cli;
    this.home = path.join(root, `owl-${id}`);
    mkdirSync(this.home, { recursive: true });
    this.env = taggedEnv(root);
  }

  command(args) {
    return { command: process.execPath, args: [this.cli, '--home', this.home, ...args], env: this.env };
  }

  run(args, options = {}) {
    const { command, args: full, env } = this.command(args);
    return runChecked(command, full, { env, ...options });
  }

  /** Cold start: returns once the daemon answers (that is what `owl daemon start` waits for). */
  async startDaemon() {
    return (await this.run(['daemon', 'start'])).ms;
  }

  daemonPid() {
    try {
      return Number(readFileSync(path.join(this.home, 'daemon.pid'), 'utf8').split('\n')[0]) || null;
    } catch {
      return null;
    }
  }

  listCommand() {
    return this.command(['ls', '--json']);
  }

  async list() {
    return JSON.parse((await this.run(['ls', '--json'])).stdout);
  }

  /**
   * Declares the apps in an owl.config.json and applies it; returns the command's ms. `timeout`
   * (e.g. '120s') raises how long the CLI waits for the daemon's answer (the soak sets it: on a
   * loaded machine applying 100 apps can leave the daemon silent past the default 5 s).
   */
  async startApps(apps, { timeout } = {}) {
    const config = {
      apps: apps.map((app) => ({
        name: app.name,
        command: process.execPath,
        args: [app.script],
        cwd: path.dirname(app.script),
        env: app.env,
        ...app.owl,
      })),
    };
    const file = path.join(this.home, 'owl.config.json');
    writeFileSync(file, JSON.stringify(config, null, 2));
    return (await this.run(['apply', '-f', file, ...(timeout ? ['--timeout', timeout] : [])])).ms;
  }

  async deleteAll() {
    await this.run(['delete', 'all']);
  }

  /** out.log and any rotated generations of it (instance 0). */
  logFiles(app) {
    const directory = path.join(this.home, 'logs', app);
    if (!existsSync(directory)) return [];
    return readdirSync(directory).filter((file) => /^out\.log(\.|$)|^out\.\d+\.log/.test(file)).map((file) => path.join(directory, file));
  }

  /** After the daemon was killed: start it again; it re-adopts what still runs. */
  async recover() {
    await this.run(['daemon', 'start']);
  }

  async shutdown() {
    if (!existsSync(path.join(this.home, 'daemon.pid'))) return;
    const { command, args, env } = this.command(['daemon', 'stop', '--with-apps']);
    await runTimed(command, args, { env, timeoutMs: 60_000 }).catch(() => undefined);
  }
}
