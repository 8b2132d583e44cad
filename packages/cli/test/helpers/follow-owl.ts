import { spawn, type ChildProcess } from 'node:child_process';
import { onTestFinished } from 'vitest';
import { waitFor } from '@owl/test-support/wait-for';
import { OWL_BIN } from '@owl/test-support/owl';

export interface FollowingOwl {
  readonly child: ChildProcess;
  /** Complete stdout lines so far. */
  lines(): string[];
  /** Waits until the stdout lines satisfy `predicate`. */
  waitForLines(predicate: (lines: string[]) => boolean, message: string): Promise<string[]>;
  /** Ctrl-C, then the exit code. */
  interrupt(): Promise<number | null>;
}

/** Starts a long-running `owl` (e.g. `logs -f`); it is stopped by pid when the test ends. */
export function followOwl(args: string[], home: string): FollowingOwl {
  const child = spawn(process.execPath, [OWL_BIN, '--home', home, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines = (): string[] => stdout.slice(0, stdout.lastIndexOf('\n') + 1).split('\n').filter((line) => line !== '');
  return {
    child,
    lines,
    waitForLines: (predicate, message) => waitFor(() => (predicate(lines()) ? lines() : undefined), { timeoutMs: 20_000, message: `${message}; stdout so far: ${stdout.slice(-500)}` }),
    interrupt: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
