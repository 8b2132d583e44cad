// Regenerates packages/cli/test/fixtures/pm2/dump.pm2 with the real PM2 7.0.4: installs it into
// a temp dir, starts the fixture ecosystem file with its own PM2_HOME and a minimal
// environment, waits until every app is online, `pm2 save`s, and stops PM2 with `pm2 kill`
// (then by pid, should its daemon linger). The dump's temp paths become placeholders
// (__APPS__, __PM2_HOME__) that the tests fill in; nothing of this machine's environment is kept.
//   node scripts/pm2-dump-fixture.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

const PM2_VERSION = '7.0.4';
const FIXTURE = fileURLToPath(new URL('../packages/cli/test/fixtures/pm2/', import.meta.url));
const PLAIN_PATH = '/usr/local/bin:/usr/bin:/bin';

const root = mkdtempSync(path.join(tmpdir(), 'owl-pm2-fixture-'));
const apps = path.join(root, 'apps');
const pm2Home = path.join(root, 'pm2-home');
cpSync(FIXTURE, apps, { recursive: true, filter: (source) => path.basename(source) !== 'dump.pm2' });

execFileSync('npm', ['install', '--prefix', path.join(root, 'install'), `pm2@${PM2_VERSION}`, '--no-audit', '--no-fund'], { stdio: 'inherit' });
const bin = path.join(root, 'install', 'node_modules', 'pm2', 'bin', 'pm2');
// The directory of this node first, so PM2 runs the apps with it.
const env = { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, HOME: root, PM2_HOME: pm2Home };
const pm2 = (...args) => execFileSync(process.execPath, [bin, ...args], { cwd: apps, env, encoding: 'utf8' });

let daemonPid = null;
try {
  pm2('start', 'ecosystem.config.js', '--env', 'production');
  daemonPid = Number(readFileSync(path.join(pm2Home, 'pm2.pid'), 'utf8'));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = JSON.parse(pm2('jlist'));
    if (list.length === 4 && list.every((app) => app.pm2_env.status === 'online')) break;
    if (Date.now() > deadline) throw new Error(`apps never all online: ${list.map((app) => `${app.name}:${app.pm2_env.status}`).join(', ')}`);
    await delay(200);
  }
  pm2('save');
  const dump = readFileSync(path.join(pm2Home, 'dump.pm2'), 'utf8')
    .replaceAll(env.PATH, PLAIN_PATH)
    .replaceAll(pm2Home, '__PM2_HOME__')
    .replaceAll(apps, '__APPS__')
    .replaceAll(root, '__HOME__');
  writeFileSync(path.join(FIXTURE, 'dump.pm2'), `${JSON.stringify(JSON.parse(dump), null, 2)}\n`);
  process.stdout.write(`wrote ${path.join(FIXTURE, 'dump.pm2')} from PM2 ${PM2_VERSION}\n`);
} finally {
  try {
    pm2('kill');
  } catch (error) {
    process.stderr.write(`pm2 kill failed: ${error.message}\n`);
  }
  if (daemonPid) {
    for (let tries = 0; tries < 50 && isAlive(daemonPid); tries += 1) await delay(100);
    if (isAlive(daemonPid)) process.kill(daemonPid, 'SIGKILL');
  }
  if (existsSync(root)) rmSync(root, { recursive: true, force: true });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
