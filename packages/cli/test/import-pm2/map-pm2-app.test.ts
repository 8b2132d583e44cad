import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { mapPm2App, type MapContext } from '../../src/import-pm2/map-pm2-app.ts';
import { appsFromDump } from '../../src/import-pm2/dump-apps.ts';
import { splitArgs } from '../../src/import-pm2/pm2-values.ts';

const context: MapContext = { sourceDirectory: '/srv/app', outputDirectory: '/srv/app', kind: 'ecosystem' };

function owlOf(rows: Array<{ option: string; owl: string }>, option: string): string | undefined {
  return rows.find((row) => row.option === option)?.owl;
}

describe('mapPm2App', () => {
  it('turns cluster mode, max instances and unreadable values into rows, not silence', () => {
    const { spec, rows } = mapPm2App({ name: 'api v2', script: 'server.js', exec_mode: 'cluster', instances: 'max', min_uptime: 'soon', max_memory_restart: 'lots', stop_exit_codes: [0, 2], merge_logs: true, mystery: 1 }, context);
    expect(spec).toMatchObject({ name: 'api-v2', command: 'node', args: ['server.js'], cwd: '.', instances: cpus().length });
    expect(spec).not.toHaveProperty('restart');
    expect(spec).not.toHaveProperty('maxMemory');
    expect(owlOf(rows, 'name')).toBe('name api-v2 (characters owl does not allow replaced)');
    expect(owlOf(rows, 'exec_mode')).toMatch(/^not carried: owl runs separate processes/);
    expect(owlOf(rows, 'instances')).toBe(`instances ${cpus().length} (this machine's CPUs)`);
    expect(owlOf(rows, 'min_uptime')).toBe('not carried: cannot read soon');
    expect(owlOf(rows, 'max_memory_restart')).toBe('not carried: cannot read lots');
    expect(owlOf(rows, 'stop_exit_codes')).toBe("not carried: owl's on-failure policy spares exit code 0 only");
    expect(owlOf(rows, 'merge_logs')).toBe('not carried: owl keeps one log per instance');
    expect(owlOf(rows, 'mystery')).toBe('not carried: no owl equivalent');
  });

  it('runs a script itself with interpreter none, and a bare command from PATH', () => {
    const direct = mapPm2App({ name: 'tool', script: './bin/tool', interpreter: 'none', args: 'serve --fast', cwd: 'sub' }, context);
    // As in PM2, the script is found relative to the app's cwd.
    expect(direct.spec).toMatchObject({ command: '/srv/app/sub/bin/tool', args: ['serve', '--fast'], cwd: 'sub' });
    const npm = mapPm2App({ name: 'web', script: 'npm', args: ['run', 'start'] }, context);
    expect(npm.spec).toMatchObject({ command: 'npm', args: ['run', 'start'] });
    const python = mapPm2App({ script: 'jobs/worker.py' }, { ...context, outputDirectory: '/etc/owl' });
    expect(python.spec).toMatchObject({ name: 'worker', command: 'python3', args: ['jobs/worker.py'], cwd: '../../srv/app' });
  });

  it('merges only the env_<name> asked for and lists the others', () => {
    const app = { name: 'api', script: 'a.js', env: { A: 1, B: 'x' }, env_production: { B: 'prod' }, env_staging: { B: 'stage' } };
    const { spec, rows } = mapPm2App(app, { ...context, envName: 'production' });
    expect(spec.env).toEqual({ A: '1', B: 'prod' });
    expect(owlOf(rows, 'env_staging')).toBe('not used: pick it with --env staging');
    expect(mapPm2App(app, context).spec.env).toEqual({ A: '1', B: 'x' });
  });
});

describe('appsFromDump', () => {
  it('groups instances back into one app and keeps only the variables the app declared', () => {
    const entry = (instance: number) => ({
      name: 'api', pm_exec_path: '/srv/api.js', pm_cwd: '/srv', exec_interpreter: 'node', exec_mode: 'cluster_mode', pm_id: instance,
      env: { PATH: '/usr/bin', PM2_HOME: '/h', api: '{}', unique_id: 'u', PORT: 3000 }, PORT: 3000, status: 'online',
    });
    const [app] = appsFromDump([entry(0), entry(1)]);
    expect(app).toMatchObject({ name: 'api', script: '/srv/api.js', cwd: '/srv', interpreter: 'node', exec_mode: 'cluster', instances: 2, env: { PORT: 3000 } });
    expect(app?.__inherited_env).toEqual(['PATH', 'PM2_HOME', 'api', 'unique_id']);
    expect(app?.__runtime).toEqual(['pm_id', 'status']);
  });
});

describe('splitArgs', () => {
  it('splits a string as a shell would keep quoted words together', () => {
    expect(splitArgs('--name "a b" -x \'c d\' e')).toEqual(['--name', 'a b', '-x', 'c d', 'e']);
    expect(splitArgs(['1', 2])).toEqual(['1', '2']);
    expect(splitArgs(undefined)).toEqual([]);
  });
});
