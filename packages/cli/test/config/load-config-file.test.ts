import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OwlError } from '@owl/rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config-file.ts';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'owl-config-'));
  file = join(dir, 'owl.config.json');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(content: unknown): Promise<void> {
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

async function expectInvalid(content: unknown, ...problems: string[]): Promise<void> {
  await writeConfig(content);
  await expect(loadConfigFile(file)).rejects.toMatchObject({
    name: 'OwlError',
    code: 'OWL_CONFIG_INVALID',
    message: problems.map((problem) => `${file}${problem.startsWith(':') ? '' : ': '}${problem}`).join('\n'),
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<OwlError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome instanceof OwlError) return outcome;
  throw new Error(`expected an OwlError, got ${String(outcome)}`);
}

const app = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'web', command: 'node', ...fields });

describe('loadConfigFile: reading', () => {
  it('names the file and the OS error code when the file is missing', async () => {
    const error = await rejectionOf(loadConfigFile(file));
    expect(error).toMatchObject({
      code: 'OWL_CONFIG_INVALID',
      message: `${file}: cannot read the config file: no such file (ENOENT)`,
      data: { file, errorCode: 'ENOENT' },
    });
  });

  it('refuses a directory', async () => {
    await expect(loadConfigFile(dir)).rejects.toMatchObject({
      code: 'OWL_CONFIG_INVALID',
      message: `${dir}: cannot read the config file: it is a directory (EISDIR)`,
    });
  });
});

describe('loadConfigFile: JSON syntax', () => {
  it('gives line and column of a trailing comma', async () => {
    await expectInvalid('{\n  "apps": [\n    { "name": "web", "command": "node" },\n  ]\n}\n', ':3:41: invalid JSON: trailing comma before "]"');
  });

  it('gives line and column of a missing comma', async () => {
    await expectInvalid('{\n  "apps": [\n    { "name": "web" "command": "node" }\n  ]\n}', ':3:21: invalid JSON: expected "," or "}" after the property value, found "\\""');
  });

  it('points at the start of an unterminated string', async () => {
    await expectInvalid('{ "apps": [ { "name": "web } ] }', ':1:23: invalid JSON: unterminated string');
  });

  it('names a bad literal, a comment and single quotes', async () => {
    await expectInvalid('{ "apps": tru }', ':1:11: invalid JSON: expected a value, found "tru"');
    await expectInvalid('{\n  // my apps\n  "apps": []\n}', ':2:3: invalid JSON: expected a property name in double quotes, found a comment (JSON has no comments)');
    await expectInvalid("{ 'apps': [] }", `:1:3: invalid JSON: expected a property name in double quotes, found "'"`);
  });

  it('reports an empty file at 1:1', async () => {
    await expectInvalid('', ':1:1: invalid JSON: expected a value, found the end of the file');
  });

  it('accepts a byte-order mark and does not count it as a column', async () => {
    await writeConfig(`\uFEFF${JSON.stringify({ apps: [app()] })}`);
    await expect(loadConfigFile(file)).resolves.toEqual([app()]);
    await expectInvalid('\uFEFF{ "apps": [,] }', ':1:12: invalid JSON: expected a value, found ","');
  });

  it('carries line and column in the error data', async () => {
    await writeConfig('{\n  "apps": [}\n');
    await expect(loadConfigFile(file)).rejects.toMatchObject({ data: { file, line: 2, column: 12 } });
  });
});

describe('loadConfigFile: schema', () => {
  it('names the field path, what was expected and what was received', async () => {
    await expectInvalid({ apps: [app(), app({ name: 'api', restart: { maxRestarts: 'ten' } })] }, 'apps[1].restart.maxRestarts: expected a number, received "ten"');
  });

  it('refuses an unknown key', async () => {
    await expectInvalid({ apps: [app({ restrat: { policy: 'always' } })] }, 'apps[0].restrat: unknown field');
    await expectInvalid({ apps: [], version: 2 }, 'version: unknown field');
  });

  it('refuses a duration it cannot read', async () => {
    await expectInvalid(
      { apps: [app({ restart: { delay: '10 parsecs' } })] },
      'apps[0].restart.delay: expected a duration like "500ms", "10s", "5m" or milliseconds, received "10 parsecs"',
    );
    await expectInvalid({ apps: [app({ restart: { minUptime: true } })] }, 'apps[0].restart.minUptime: expected a duration like "500ms", "10s", "5m" or milliseconds, received true');
  });

  it('refuses a schedule time that is not HH:MM', async () => {
    await expectInvalid(
      { apps: [app({ launch: { mode: 'scheduled', schedules: [{ days: ['mon'], ranges: [{ start: '25:00', stop: '06:00' }] }] } })] },
      'apps[0].launch.schedules[0].ranges[0].start: expected a time "HH:MM" (24h), received "25:00"',
    );
  });

  it('refuses a scheduled launch without schedules', async () => {
    await expectInvalid({ apps: [app({ launch: { mode: 'scheduled' } })] }, 'apps[0].launch.schedules: launch mode "scheduled" needs at least one schedule');
  });

  it('refuses a time zone that is not an IANA name', async () => {
    await expectInvalid(
      { apps: [app({ launch: { mode: 'always', timezone: 'Mars/Olympus' } })] },
      'apps[0].launch.timezone: expected an IANA time zone such as "Europe/Berlin", received "Mars/Olympus"',
    );
  });

  it('names missing fields, enums, bounds and bad env names', async () => {
    await expectInvalid({ apps: [{ command: 'node' }] }, 'apps[0].name: missing, expected a string');
    await expectInvalid({ apps: [app({ launch: { mode: 'sometimes' } })] }, 'apps[0].launch.mode: expected one of "always", "scheduled", "off", received "sometimes"');
    await expectInvalid({ apps: [app({ instances: 0 })] }, 'apps[0].instances: expected a number >= 1, received 0');
    await expectInvalid({ apps: [app({ instances: 1.5 })] }, 'apps[0].instances: expected an integer, received 1.5');
    await expectInvalid({ apps: [app({ env: { 'A=B': 'x' } })] }, 'apps[0].env["A=B"]: expected an environment variable name, received "A=B"');
    await expectInvalid(
      { apps: [app({ launch: { mode: 'scheduled', schedules: [{ days: [], ranges: [{ start: '08:00', stop: '09:00' }] }] } })] },
      'apps[0].launch.schedules[0].days: expected at least 1 item, received 0',
    );
  });

  it('needs an object with apps at the top', async () => {
    await expectInvalid([app()], 'expected an object, received an array');
    await expectInvalid('null', 'expected an object, received null');
    await expectInvalid({}, 'apps: missing, expected an array');
  });

  it('reports every problem, one line each', async () => {
    await expectInvalid(
      { apps: [{ name: 'a b', command: '' }, app({ stop: { signal: 'SIGKILL' } })] },
      'apps[0].name: expected 1-64 characters of letters, digits, ".", "_" or "-", received "a b"',
      'apps[0].command: expected the executable to run, received ""',
      'apps[1].stop.signal: expected one of "SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", received "SIGKILL"',
    );
  });

  it('shows the first 20 problems and counts the rest', async () => {
    const apps = Array.from({ length: 25 }, (_, index) => ({ name: `app${index}`, command: 1 }));
    await writeConfig({ apps });
    const error = await rejectionOf(loadConfigFile(file));
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe(`${file}: apps[0].command: expected a string, received 1`);
    expect(lines[20]).toBe(`${file}: and 5 more problems`);
    expect(error.data?.['problems']).toHaveLength(25);
  });
});

describe('loadConfigFile: duplicate names', () => {
  it('names both indexes', async () => {
    await expectInvalid(
      { apps: [app(), app({ name: 'api' }), app()] },
      'apps[2].name: duplicate app name "web", already used by apps[0]',
    );
  });

  it('reports duplicates along with schema problems', async () => {
    await expectInvalid(
      { apps: [app(), app({ instances: 'two' })] },
      'apps[1].instances: expected a number, received "two"',
      'apps[1].name: duplicate app name "web", already used by apps[0]',
    );
  });
});

describe('loadConfigFile: a valid file', () => {
  it('returns the apps as written, without defaults', async () => {
    const apps = [
      app({ args: ['server.js'], env: { PORT: '8080' }, restart: { delay: '1s', backoff: { max: '1m' } }, maxMemory: '512MB' }),
      {
        name: 'kiosk',
        command: 'C:\\Kiosk\\kiosk.exe',
        launch: { mode: 'scheduled', timezone: 'Europe/Berlin', schedules: [{ days: ['fri'], ranges: [{ start: '22:00', stop: '06:00' }] }] },
        windows: { hide: false, priority: 'high' },
      },
    ];
    await writeConfig({ $schema: './node_modules/@owl/rpc/schema/owl.config.schema.json', apps });
    await expect(loadConfigFile(file)).resolves.toEqual(apps);
  });

  it('accepts an empty list of apps', async () => {
    await writeConfig({ apps: [] });
    await expect(loadConfigFile(file)).resolves.toEqual([]);
  });
});
