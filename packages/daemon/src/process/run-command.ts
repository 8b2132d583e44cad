import { execFile } from 'node:child_process';

/** How long a process-inspection command (ps, wmic, powershell) may run. */
const COMMAND_TIMEOUT_MS = 15_000;

// `ps -A` and `wmic process get` print the whole process table: allow far more than the default 1 MiB.
const COMMAND_MAX_BUFFER = 64 * 1024 * 1024;

export interface RunCommandOptions {
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a short inspection command and returns its stdout, or null when the command is
 * missing, fails, times out or exits non-zero. Never throws: callers treat null as "unknown".
 *
 * @example
 * const lstart = await runCommand('ps', ['-o', 'lstart=', '-p', '1234']);
 */
export function runCommand(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile(
        file,
        args,
        { encoding: 'buffer', timeout: COMMAND_TIMEOUT_MS, maxBuffer: COMMAND_MAX_BUFFER, windowsHide: true, env: options.env },
        (error, stdout) => resolve(error ? null : decodeOutput(stdout)),
      );
    } catch {
      // execFile throws synchronously on some invalid arguments (e.g. a NUL byte); treat as "unknown".
      resolve(null);
    }
  });
}

// wmic writes UTF-16LE when it decides its output is redirected; everything else writes UTF-8/ANSI.
function decodeOutput(stdout: Buffer): string {
  const isUtf16 = (stdout[0] === 0xff && stdout[1] === 0xfe) || (stdout.length > 1 && stdout[1] === 0x00);
  const text = isUtf16 ? stdout.toString('utf16le') : stdout.toString('utf8');
  return text.replace(/^\uFEFF/, '');
}
