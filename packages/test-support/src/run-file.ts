import { execFile, type ExecFileOptions } from 'node:child_process';

export interface FileResult {
  /** The exit code; null when a signal (or the timeout) ended it. */
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program to its end without blocking the test worker: a worker blocked for a minute
 * (a synchronous npm install, a slow daemon stop on a loaded machine) misses vitest's own
 * calls and fails a run whose tests all passed. Never rejects for a non-zero exit.
 */
export function runFile(file: string, args: readonly string[], options: ExecFileOptions = {}): Promise<FileResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024, ...options, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        reject(error);
        return;
      }
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** runFile for set-up steps that must succeed: rejects naming the command, its exit and its output otherwise. */
export async function runFileOk(file: string, args: readonly string[], options: ExecFileOptions = {}): Promise<FileResult> {
  const result = await runFile(file, args, options);
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.status ?? 'by a signal'}: ${(result.stderr || result.stdout).slice(-2000)}`);
  return result;
}
