import { spawn } from 'node:child_process';
import { terminateTree } from '../process/terminate-tree.ts';
import type { ProbeResult } from './probe-result.ts';

export interface ExecProbeOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Output kept from a check command, to quote its last line when it fails. */
const OUTPUT_LIMIT = 4_096;
/** How long output may trail the exit of a check command. */
const EXIT_GRACE_MS = 200;

/**
 * Runs `command` through the shell (sh, or cmd.exe on Windows); exit code 0 within
 * `timeoutMs` passes. A command that overstays is killed with its whole tree.
 *
 * @example
 * const { ok, detail } = await probeExec('pg_isready -q', { cwd, env, timeoutMs: 2_000 });
 */
export function probeExec(command: string, options: ExecProbeOptions): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const child = spawn(command, {
      shell: true,
      cwd: options.cwd,
      env: options.env,
      // Its own process group on POSIX, so a timeout kills whatever the shell started.
      detached: process.platform !== 'win32',
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, detail: `"${command}" did not finish within ${options.timeoutMs} ms` });
      if (child.pid !== undefined) void terminateTree(child.pid, { signal: 'SIGKILL', timeoutMs: 0, processGroup: true }).catch(() => undefined);
    }, options.timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, detail: `cannot run "${command}": ${error.code ?? error.message}` }));
    const finishExited = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (code === 0) return finish({ ok: true, detail: `"${command}" exited with code 0` });
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const last = lastLine(output);
      finish({ ok: false, detail: `"${command}" ${how}${last ? `: ${last}` : ''}` });
    };
    // 'close' comes once the output is read; a background process that keeps the pipes open
    // must not hold the verdict, so 'exit' settles it shortly after regardless.
    child.once('close', finishExited);
    child.once('exit', (code, signal) => setTimeout(() => finishExited(code, signal), EXIT_GRACE_MS).unref());
  });
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  return (lines.at(-1) ?? '').slice(0, 200);
}
