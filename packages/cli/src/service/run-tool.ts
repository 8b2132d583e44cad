import { execFile } from 'node:child_process';
import { OwlError } from '@owl/rpc';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a service manager's tool (systemctl, launchctl) and returns what it said, whatever its exit code. */
export function runTool(command: string, args: string[], timeoutMs = 60_000): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        reject(new OwlError('OWL_SERVICE_FAILED', `cannot run ${command}: ${error.message}`, { cause: error }));
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs the tool and fails with its own words when it fails. */
export async function runToolChecked(command: string, args: string[]): Promise<ToolResult> {
  const result = await runTool(command, args);
  if (result.code !== 0) {
    const said = (result.stderr || result.stdout).trim();
    throw new OwlError('OWL_SERVICE_FAILED', `${command} ${args.join(' ')} failed (exit ${result.code})${said ? `: ${said}` : ''}`);
  }
  return result;
}
