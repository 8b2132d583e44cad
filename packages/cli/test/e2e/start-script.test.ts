import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runOwl, tempHome } from '@owl/test-support/owl';
import { listApps, waitForApp } from '@owl/test-support/apps';
import { waitFor } from '@owl/test-support/wait-for';

// Each script prints how it was started (its argv and instance), then stays up.
const SCRIPTS: Record<string, string> = {
  'app.js': "console.log(`node ${process.argv.slice(2).join(' ')} instance=${process.env.NODE_APP_INSTANCE}`); setInterval(() => {}, 60_000);\n",
  'job.py': "import sys, time\nprint('python ' + ' '.join(sys.argv[1:]), flush=True)\nwhile True:\n    time.sleep(60)\n",
  'run.sh': 'echo "sh $*"\nwhile :; do sleep 60; done\n',
};

function project(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'owl-start-script-'));
  onTestFinished(() => rmSync(directory, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(SCRIPTS)) writeFileSync(path.join(directory, name), text);
  return directory;
}

async function waitForOutput(home: string, app: string, line: string): Promise<void> {
  const file = path.join(home, 'logs', app, 'out.log');
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').split('\n').includes(line), { timeoutMs: 15_000, message: `${file} never held "${line}"` });
}

describe('owl start <script>, as PM2 users type it', () => {
  it('creates the app from a .js, .py or .sh file: name from the base name, interpreter from the extension', async () => {
    const home = tempHome();
    const cwd = project();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);

    const node = await runOwl(['start', 'app.js', '--', '--port', '3000'], { home, cwd });
    expect(node.stderr).toBe('');
    expect(node.code).toBe(0);
    expect(node.stdout).toMatch(/^NAME +STATUS .*\napp +(launching|running) /);
    await waitForOutput(home, 'app', 'node --port 3000 instance=0');
    const describe = JSON.parse((await runOwl(['describe', 'app', '--json'], { home })).stdout) as { spec: Record<string, unknown> };
    expect(describe.spec).toMatchObject({ command: process.execPath, args: [path.join(cwd, 'app.js'), '--port', '3000'], cwd });
    // Human describe: readable sections, not a JSON dump.
    const human = await runOwl(['describe', 'app'], { home });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^Spec\n  name +app\n  command +${process.execPath} ${path.join(cwd, 'app.js')} --port 3000\n  cwd +${cwd}\n  instances +1\n`));
    expect(human.stdout).toContain('\n  restart     always; 10 restarts in a row within 10s of launch, then one try per 10m\n');
    expect(human.stdout).toMatch(/\n\nInstances\nNAME +STATUS .*\napp +running +\d+ /);
    expect(human.stdout).toMatch(/\n\nLast exits\n  #0  none yet\n$/);
    expect(human.stdout).not.toContain('{');

    // PM2's -i: max is one instance per CPU.
    expect((await runOwl(['start', 'job.py', '-i', 'max', '--', 'nightly'], { home, cwd })).code).toBe(0);
    await waitForOutput(home, 'job', 'python nightly');
    expect((await listApps(home)).filter((row) => row.name === 'job')).toHaveLength(availableParallelism());
    expect((await runOwl(['start', './run.sh', '--name', 'runner'], { home, cwd })).code).toBe(0);
    await waitForOutput(home, 'runner', 'sh ');

    // --interpreter none runs the file itself.
    chmodSync(path.join(cwd, 'run.sh'), 0o755);
    writeFileSync(path.join(cwd, 'run.sh'), `#!/bin/sh\n${SCRIPTS['run.sh']}`);
    expect((await runOwl(['start', 'run.sh', '--interpreter', 'none', '--', 'direct'], { home, cwd })).code).toBe(0);
    await waitForOutput(home, 'run', 'sh direct');
    const rows = await listApps(home);
    expect([...new Set(rows.map((row) => row.name))].sort()).toEqual(['app', 'job', 'run', 'runner']);

    // A known app is started as before: by name, from anywhere.
    expect((await runOwl(['stop', 'app'], { home })).code).toBe(0);
    const again = await runOwl(['start', 'app'], { home });
    expect(again.stdout).toBe('started: app\n');
    await waitForApp(home, 'app', (row) => row.status === 'running');
  });

  it('answers a missing file in one line and a PM2-style command line with the fix', async () => {
    const home = tempHome();
    const cwd = project();
    expect((await runOwl(['daemon', 'start'], { home })).code).toBe(0);

    const missing = await runOwl(['start', 'nope.js'], { home, cwd });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toBe(`owl: "nope.js" is not an app, nor a file (no ${path.join(cwd, 'nope.js')}), nor a command on PATH\n`);

    const twoWords = await runOwl(['start', 'node', 'app.js'], { home, cwd });
    expect(twoWords.code).toBe(2);
    expect(twoWords.stderr).toBe('owl: start takes one app or script, received 2 words: node app.js\nusage: owl start --name app -- node app.js\n');

    const noName = await runOwl(['start', '--', 'node', 'app.js'], { home, cwd });
    expect(noName.code).toBe(2);
    expect(noName.stderr).toBe('owl: start: a command after -- needs --name\nusage: owl start --name app -- node app.js\n');

    const missingArgument = await runOwl(['stop'], { home });
    expect(missingArgument.code).toBe(2);
    expect(missingArgument.stderr).toBe('owl: give one app name (or "all"), or --orphans alone\nusage: owl stop [options] [name]  (more: owl stop --help)\n');

    const unknownOption = await runOwl(['logs', '--bogus'], { home });
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toBe("owl: unknown option '--bogus'\nusage: owl logs [options] [name]  (more: owl logs --help)\n");

    const unknownCommand = await runOwl(['strat'], { home });
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toBe("owl: unknown command 'strat' (Did you mean start?)\nsee: owl --help\n");

    const badInstances = await runOwl(['start', 'app.js', '-i', 'lots'], { home, cwd });
    expect(badInstances.code).toBe(2);
    expect(badInstances.stderr).toBe('owl: --instances: expected a number, received "lots"\n');

    const noSubcommand = await runOwl(['daemon'], { home });
    expect(noSubcommand.code).toBe(2);
    expect(noSubcommand.stderr).toBe('owl: daemon needs a command: start, stop, restart, status, reload, run\nusage: owl daemon [options] [command]  (more: owl daemon --help)\n');

    const help = await runOwl(['start', '--help'], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--interpreter <command>');
    expect(await listApps(home)).toEqual([]);
  });
});
