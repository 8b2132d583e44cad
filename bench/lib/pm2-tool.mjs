// Installs the pinned PM2 into the bench's temp dir and drives it through its own bin with
// its own PM2_HOME, so the machine's PM2 (if any) is never touched.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PM2_VERSION } from './settings.mjs';
import { runChecked, runTimed } from './processes.mjs';
import { taggedEnv } from './tag.mjs';

export async function installPm2(root) {
  const prefix = path.join(root, 'pm2-install');
  mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await runChecked(npm, ['install', '--prefix', prefix, `pm2@${PM2_VERSION}`, '--no-audit', '--no-fund'], { timeoutMs: 300_000 });
  const moduleDir = path.join(prefix, 'node_modules', 'pm2');
  const version = JSON.parse(readFileSync(path.join(moduleDir, 'package.json'), 'utf8')).version;
  return { moduleDir, bin: path.join(moduleDir, 'bin', 'pm2'), version };
}

export class Pm2Tool {
  label = 'pm2';

  constructor(root, id, install) {
    this.install = install;
    this.home = path.join(root, `pm2-${id}`);
    mkdirSync(this.home, { recursive: true });
    this.env = taggedEnv(root, { PM2_HOME: this.home });
  }

  command(args) {
    return { command: process.execPath, args: [this.install.bin, ...args], env: this.env };
  }

  run(args, options = {}) {
    const { command, args: full, env } = this.command(args);
    return runChecked(command, full, { env, ...options });
  }

  /** Cold start: `pm2 ping` launches the daemon when none runs and returns once it answers. */
  async startDaemon() {
    return (await this.run(['ping'])).ms;
  }

  daemonPid() {
    try {
      return Number(readFileSync(path.join(this.home, 'pm2.pid'), 'utf8').trim()) || null;
    } catch {
      return null;
    }
  }

  listCommand() {
    return this.command(['jlist']);
  }

  async list() {
    const { stdout } = await this.run(['jlist']);
    return JSON.parse(stdout.slice(stdout.indexOf('[')));
  }

  /** Declares the apps in a PM2 ecosystem file (JSON) and starts it; returns the command's ms. */
  async startApps(apps) {
    const ecosystem = {
      apps: apps.map((app) => ({ name: app.name, script: app.script, cwd: path.dirname(app.script), env: app.env, ...app.pm2 })),
    };
    const file = path.join(this.home, 'ecosystem.json');
    writeFileSync(file, JSON.stringify(ecosystem, null, 2));
    return (await this.run(['start', file])).ms;
  }

  async deleteAll() {
    await this.run(['delete', 'all']);
  }

  /** <app>-out.log (PM2 does not rotate without the pm2-logrotate module). */
  logFiles(app) {
    const directory = path.join(this.home, 'logs');
    if (!existsSync(directory)) return [];
    return readdirSync(directory).filter((file) => file.startsWith(`${app}-out`)).map((file) => path.join(directory, file));
  }

  async save() {
    await this.run(['save']);
  }

  /** After the daemon was killed: PM2's way back is `pm2 resurrect` from the saved dump. */
  async recover() {
    await this.run(['resurrect']);
  }

  async shutdown() {
    // `pm2 kill` would first launch a daemon where none ever ran.
    if (!existsSync(path.join(this.home, 'pm2.pid'))) return;
    const { command, args, env } = this.command(['kill']);
    await runTimed(command, args, { env, timeoutMs: 60_000 }).catch(() => undefined);
  }
}
