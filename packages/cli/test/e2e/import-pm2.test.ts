import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { listApps } from '@owl/test-support/apps';
import { waitFor } from '@owl/test-support/wait-for';

const PM2_FIXTURE = fileURLToPath(new URL('../fixtures/pm2/', import.meta.url));

/** A copy of the PM2 fixture project (ecosystem file, scripts, dump) in a temp dir. */
function projectCopy(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-pm2-project-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  cpSync(PM2_FIXTURE, directory, { recursive: true });
  return directory;
}

/** The mapping table row of `app`'s `option`, as [value, owl] cells. */
function tableRow(stdout: string, app: string, option: string): { value: string; owl: string } {
  const header = stdout.split('\n')[0] as string;
  const valueAt = header.indexOf('PM2 VALUE');
  const owlAt = header.indexOf('OWL', valueAt + 'PM2 VALUE'.length);
  const line = stdout.split('\n').find((candidate) => candidate.slice(0, valueAt).trim().split(/\s{2,}/).join('|') === `${app}|${option}`);
  if (!line) throw new Error(`no row for ${app} ${option} in:\n${stdout}`);
  return { value: line.slice(valueAt, owlAt).trim(), owl: line.slice(owlAt).trim() };
}

/** Waits until the app's log holds a line matching `pattern`. */
async function waitForLog(home: string, app: string, instance: number, pattern: RegExp): Promise<void> {
  const file = path.join(home, 'logs', app, instance === 0 ? 'out.log' : `out-${instance}.log`);
  await waitFor(() => existsSync(file) && pattern.test(readFileSync(file, 'utf8')), { timeoutMs: 20_000, message: `${file} never matched ${pattern}` });
}

async function applyAndCheck(home: string, config: string): Promise<void> {
  expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);
  const apply = await runOwl(['apply', '-f', config], { home });
  expect(apply.stderr).toBe('');
  expect(apply.code).toBe(0);
  expect(apply.stdout).toBe('created: api, worker, job\n');
  await waitForLog(home, 'api', 0, /^api production port=3000 instance=0 args=--port 3000$/m);
  await waitForLog(home, 'api', 1, /^api production port=3000 instance=1 args=--port 3000$/m);
  await waitForLog(home, 'worker', 0, /^worker queue=jobs$/m);
  await waitForLog(home, 'job', 0, /^job nightly$/m);
  const rows = await listApps(home);
  expect(rows.map((row) => `${row.name}#${row.instance}:${row.status}`).sort()).toEqual(['api#0:running', 'api#1:running', 'job#0:running', 'worker#0:running']);
}

describe('owl import pm2', () => {
  it('maps a real ecosystem file, row by row, to a config owl apply runs', async () => {
    const project = projectCopy();
    const config = path.join(project, 'owl.config.json');
    const result = await runOwl(['import', 'pm2', path.join(project, 'ecosystem.config.js'), '-o', config, '--env', 'production']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Every option of every app has a row: nothing is dropped silently.
    const ecosystem = createRequire(import.meta.url)(path.join(project, 'ecosystem.config.js')) as { apps: Array<Record<string, unknown>> };
    for (const app of ecosystem.apps) for (const option of Object.keys(app)) tableRow(result.stdout, app.name as string, option);
    expect(tableRow(result.stdout, 'api', 'script')).toEqual({ value: 'api.js', owl: 'args: api.js after the interpreter' });
    expect(tableRow(result.stdout, 'api', 'env_production')).toEqual({ value: '{"NODE_ENV":"production"}', owl: 'merged over env (--env production)' });
    expect(tableRow(result.stdout, 'api', 'instances').owl).toBe('instances 2');
    expect(tableRow(result.stdout, 'api', 'max_memory_restart')).toEqual({ value: '200M', owl: 'maxMemory 209715200 bytes' });
    expect(tableRow(result.stdout, 'api', 'min_uptime').owl).toBe('restart.minUptime 5000 ms');
    expect(tableRow(result.stdout, 'api', 'restart_delay').owl).toBe('restart.delay 500 ms');
    expect(tableRow(result.stdout, 'api', 'exp_backoff_restart_delay').owl).toBe('restart.backoff {initial 100 ms, factor 1.5, max 15000 ms}');
    expect(tableRow(result.stdout, 'api', 'kill_timeout').owl).toBe('stop.timeout 3000 ms');
    expect(tableRow(result.stdout, 'api', 'max_restarts').owl).toBe('restart.maxRestarts 5');
    expect(tableRow(result.stdout, 'api', 'cron_restart').owl).toMatch(/^not carried: owl has no cron restarts/);
    expect(tableRow(result.stdout, 'api', 'out_file').owl).toBe('not carried: owl writes logs/<app>/out.log in OWL_HOME');
    expect(tableRow(result.stdout, 'api', 'time').owl).toBe('logs.timestamps on');
    expect(tableRow(result.stdout, 'worker', 'interpreter').owl).toBe('command python3');
    expect(tableRow(result.stdout, 'worker', 'autorestart').owl).toBe('restart.policy never');
    expect(tableRow(result.stdout, 'worker', 'watch').owl).toMatch(/^not carried: owl does not watch files/);
    expect(tableRow(result.stdout, 'worker', 'ignore_watch').owl).toBe('not carried: owl does not watch files');
    expect(tableRow(result.stdout, 'job', 'stop_exit_codes').owl).toBe('restart.policy on-failure');
    expect(result.stdout).toContain(`\nwrote ${config} (3 apps from the PM2 ecosystem ${path.join(project, 'ecosystem.config.js')})\nnext: owl apply -f ${config}\n`);

    const written = JSON.parse(readFileSync(config, 'utf8')) as { apps: Array<Record<string, unknown>> };
    expect(written.apps[0]).toMatchObject({ name: 'api', command: 'node', args: ['--max-old-space-size=256', 'api.js', '--port', '3000'], cwd: '.', env: { PORT: '3000', NODE_ENV: 'production' } });
    expect(written.apps[2]).toMatchObject({ name: 'job', command: 'sh', args: ['job.sh', 'nightly'] });

    const again = await runOwl(['import', 'pm2', path.join(project, 'ecosystem.config.js'), '-o', config]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`owl: ${config} exists; overwrite it with --force, or write elsewhere with -o FILE\n`);

    await applyAndCheck(tempHome(), config);
  });

  it('maps the dump the real PM2 7.0.4 saved (found at $PM2_HOME/dump.pm2) to a config owl apply runs', async () => {
    const project = projectCopy();
    const pm2Home = path.join(project, 'pm2-home');
    mkdirSync(pm2Home);
    // scripts/pm2-dump-fixture.mjs left placeholders where PM2 wrote its temp paths.
    const dump = readFileSync(path.join(project, 'dump.pm2'), 'utf8').replaceAll('__APPS__', project).replaceAll('__PM2_HOME__', pm2Home).replaceAll('__HOME__', project);
    writeFileSync(path.join(pm2Home, 'dump.pm2'), dump);
    const config = path.join(project, 'owl.config.json');
    const result = await runOwl(['import', 'pm2', '-o', config], { env: { PM2_HOME: pm2Home } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(tableRow(result.stdout, 'api', 'instances').owl).toBe('instances 2');
    expect(tableRow(result.stdout, 'api', 'interpreter').owl).toBe('command node');
    expect(tableRow(result.stdout, 'api', 'env_production').owl).toBe('already in env: the dump records the env PM2 ran with');
    expect(tableRow(result.stdout, 'api', 'env (inherited)').owl).toMatch(/^dropped \d+ variables of PM2 and of the shell it ran in: PATH, HOME, PM2_HOME/);
    expect(tableRow(result.stdout, 'api', 'cron_restart').owl).toMatch(/^not carried/);
    expect(tableRow(result.stdout, 'api', '(runtime fields)').owl).toBe('ignored: PM2 process state, not configuration');
    expect(tableRow(result.stdout, 'job', 'interpreter')).toEqual({ value: 'bash', owl: 'command bash' });
    expect(tableRow(result.stdout, 'worker', 'watch').owl).toMatch(/^not carried/);
    expect(result.stdout).toContain(`(3 apps from the PM2 dump ${path.join(pm2Home, 'dump.pm2')})`);
    const written = JSON.parse(readFileSync(config, 'utf8')) as { apps: Array<Record<string, unknown>> };
    expect(written.apps.find((app) => app.name === 'api')).toMatchObject({ instances: 2, env: { PORT: '3000', NODE_ENV: 'production' } });

    await applyAndCheck(tempHome(), config);
  });

  it('reads YAML and ES module ecosystem files, and names what is wrong with a bad one', async () => {
    const project = projectCopy();
    writeFileSync(path.join(project, 'ecosystem.yaml'), 'apps:\n  - name: web\n    script: api.js\n    instances: 3\n    env:\n      PORT: 8080\n');
    const config = path.join(project, 'web.json');
    const result = await runOwl(['import', 'pm2', path.join(project, 'ecosystem.yaml'), '-o', config, '--json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { apps: unknown[] }).apps).toEqual([{ name: 'web', command: 'node', args: ['api.js'], cwd: '.', env: { PORT: '8080' }, instances: 3 }]);

    // An ES module that prints while it loads: the export still arrives intact.
    writeFileSync(path.join(project, 'ecosystem.config.mjs'), "console.log('loading {');\nexport default { apps: [{ name: 'esm', script: 'api.js', args: ['a b'] }] };\n");
    const esm = await runOwl(['import', 'pm2', path.join(project, 'ecosystem.config.mjs'), '-o', path.join(project, 'esm.json'), '--json']);
    expect(esm.stderr).toBe('');
    expect((JSON.parse(esm.stdout) as { apps: unknown[] }).apps).toEqual([{ name: 'esm', command: 'node', args: ['api.js', 'a b'], cwd: '.' }]);
    writeFileSync(path.join(project, 'throws.config.cjs'), "throw new Error('no config here');\n");
    const throws = await runOwl(['import', 'pm2', path.join(project, 'throws.config.cjs'), '-o', path.join(project, 'x.json')]);
    expect(throws.code).toBe(2);
    expect(throws.stderr).toMatch(/^owl: .*throws\.config\.cjs: evaluating the ecosystem file failed \(exited 1: .*no config here\)\n$/);

    writeFileSync(path.join(project, 'broken.yaml'), 'apps:\n  - name: [unclosed\n');
    const broken = await runOwl(['import', 'pm2', path.join(project, 'broken.yaml'), '-o', path.join(project, 'x.json')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^owl: ${path.join(project, 'broken.yaml')}: not valid YAML \\(.+\\)\\n$`));

    const missing = await runOwl(['import', 'pm2', path.join(project, 'nope.json')]);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toBe(`owl: ${path.join(project, 'nope.json')}: cannot read the PM2 file (ENOENT)\n`);
  });
});
