import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { runFile } from './run-file.ts';

// The CLI as a user runs it: the bundle `pnpm build` writes into packages/cli. Found by path,
// not as a dependency, because @owl/cli depends on this package (a cycle turbo refuses).
export const OWL_BIN = fileURLToPath(new URL('../../cli/dist/owl.mjs', import.meta.url));

export interface OwlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `owl` binary the way a user would. */
export function runOwl(args: string[], options: { home?: string; env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<OwlResult> {
  const env = { ...process.env, ...options.env };
  delete env.OWL_URL;
  delete env.OWL_TOKEN;
  if (options.env?.OWL_URL) env.OWL_URL = options.env.OWL_URL;
  if (options.env?.OWL_TOKEN) env.OWL_TOKEN = options.env.OWL_TOKEN;
  const homeArgs = options.home ? ['--home', options.home] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OWL_BIN, ...homeArgs, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Like runOwl but fails the test on a non-zero exit, returning parsed --json output. */
export async function owlJson<T = unknown>(args: string[], home: string): Promise<T> {
  const result = await runOwl([...args, '--json'], { home });
  if (result.code !== 0) throw new Error(`owl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function readPid(file: string): number {
  return Number(readFileSync(file, 'utf8').split('\n')[0]);
}

/** Alive and not a zombie (an exited process its parent has not reaped yet counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * A temp OWL_HOME whose daemon (and, unless told otherwise, its apps) is stopped when the test
 * ends: by pid, never by name.
 */
export function tempHome(prefix: string = 'owl-test-'): string {
  const home = mkdtempSync(path.join(tmpdir(), prefix));
  onTestFinished(async () => {
    const pidFile = path.join(home, 'daemon.pid');
    let daemonPid: number | undefined;
    try {
      daemonPid = readPid(pidFile);
    } catch {
      daemonPid = undefined;
    }
    const stateFile = path.join(home, 'state.json');
    const appPids: number[] = [];
    try {
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { apps: Record<string, { instances: Array<{ pid: number | null }> }> };
      for (const app of Object.values(state.apps)) for (const instance of app.instances) if (instance.pid) appPids.push(instance.pid);
    } catch {
      // No state: no apps to clean up.
    }
    if (daemonPid && isAlive(daemonPid)) {
      await runFile(process.execPath, [OWL_BIN, '--home', home, 'daemon', 'stop', '--with-apps'], { timeout: 30_000 });
      if (isAlive(daemonPid)) process.kill(daemonPid, 'SIGKILL');
    }
    for (const pid of appPids) {
      try {
        // Apps lead their own process group: kill the group, then the pid itself.
        process.kill(-pid, 'SIGKILL');
      } catch {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    rmSync(home, { recursive: true, force: true });
  });
  return home;
}
